using Preinit.Boot.Stages;
using Preinit.Core.Hooks;
using Serilog;
using Xunit;

namespace Preinit.Tests.Unit;

public class HookTests
{
    private sealed record Record(List<string> Log, string Name, StepOutcome Outcome = StepOutcome.Continue, string? Nested = null)
        : IBootStep
    {
        public StepOutcome Run(IStepContext context)
        {
            Log.Add(Name);
            if (Nested is not null) context.RunHook(Nested);
            return Outcome;
        }
    }

    private sealed record Failing(List<string> Log) : IBootStep
    {
        public StepOutcome Run(IStepContext context) { Log.Add("fail"); throw new IOException("broken"); }
    }

    private sealed class Module(string name, Action<HookRegistrar> register, bool foreign = false) : IPreinitModule
    {
        public string Name => name;
        public bool Foreign => foreign;
        public void Register(HookRegistrar hooks) => register(hooks);
    }

    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();

    [Fact]
    public void Plan_ModulesRegisterInNameOrder_FunctionsKeepTheirAddOrder()
    {
        var log = new List<string>();
        var plan = new HookPlan([
            new Module("99_10_run_init", h => h.Add(HookNames.PreinitMain, "run_init", new Record(log, "run_init"))),
            new Module("10_essential_fs", h =>
            {
                h.Add(HookNames.PreinitMain, "b", new Record(log, "b"));
                h.Add(HookNames.PreinitMain, "a", new Record(log, "a"));
            }),
        ]);
        Assert.Equal(["b", "a", "run_init"], plan.Functions(HookNames.PreinitMain).Select(f => f.Name));
        Assert.Equal("10_essential_fs", plan.Functions(HookNames.PreinitMain)[0].Module);
    }

    [Fact]
    public void Run_EachFunctionRunsAtMostOnce_EvenWhenItsHookRunsAgain()
    {
        var log = new List<string>();
        var plan = new HookPlan([new Module("10_x", h =>
        {
            h.Add(HookNames.PreinitMain, "outer", new Record(log, "outer", Nested: HookNames.PreinitMountRoot));
            h.Add(HookNames.PreinitMountRoot, "inner", new Record(log, "inner", Nested: HookNames.PreinitMountRoot));
        })]);
        var runner = new StepRunner(Silent, plan);
        runner.RunHook(HookNames.PreinitMain);
        runner.RunHook(HookNames.PreinitMain);
        Assert.Equal(["outer", "inner"], log);
    }

    [Fact]
    public void Run_FunctionEndingItsHook_SkipsTheRestOfThatHookOnly()
    {
        var log = new List<string>();
        var plan = new HookPlan([new Module("10_x", h =>
        {
            h.Add(HookNames.PreinitMain, "first", new Record(log, "first", StepOutcome.EndHook), new Record(log, "first-second-step"));
            h.Add(HookNames.PreinitMain, "second", new Record(log, "second"));
            h.Add(HookNames.Failsafe, "other", new Record(log, "other"));
        })]);
        var runner = new StepRunner(Silent, plan);
        runner.RunHook(HookNames.PreinitMain);
        runner.RunHook(HookNames.Failsafe);
        Assert.Equal(["first", "other"], log);
    }

    [Fact]
    public void Run_FailingFunction_IsLoggedAndTheHookGoesOn()
    {
        var log = new List<string>();
        var plan = new HookPlan([new Module("10_x", h =>
        {
            h.Add(HookNames.PreinitEssential, "broken", new Failing(log), new Record(log, "never"));
            h.Add(HookNames.PreinitEssential, "next", new Record(log, "next"));
        })]);
        new StepRunner(Silent, plan).RunHook(HookNames.PreinitEssential);
        Assert.Equal(["fail", "next"], log);
    }

    [Fact]
    public void Registrar_DuplicateNameOrUnknownHook_IsReportedNotRun()
    {
        var log = new List<string>();
        var plan = new HookPlan([
            new Module("10_a", h => h.Add(HookNames.PreinitMain, "same", new Record(log, "first"))),
            new Module("20_b", h =>
            {
                h.Add(HookNames.PreinitMain, "same", new Record(log, "second"));
                h.Add("preinit_mian", "typo", new Record(log, "typo"));
            }),
        ]);
        Assert.Single(plan.Functions(HookNames.PreinitMain));
        Assert.Contains(plan.Problems, p => p.Contains("same is already defined by 10_a"));
        Assert.Contains(plan.Problems, p => p.Contains("unknown hook 'preinit_mian'"));
    }

    [Fact]
    public void Plan_ForeignFunctionWithOneOfOurNames_IsReportedAndOursRunsAtItsOwnPlace()
    {
        var log = new List<string>();
        var plan = new HookPlan([
            new Module("30_failsafe_wait", h => h.Add(HookNames.PreinitMain, "failsafe_wait", new Record(log, "ours"))),
            new Module("10_shell", h =>
            {
                h.Add(HookNames.PreinitMain, "failsafe_wait", new Record(log, "shell copy"));
                h.Add(HookNames.PreinitMain, "their_own", new Record(log, "theirs"));
            }, foreign: true),
        ]);
        new StepRunner(Silent, plan).RunHook(HookNames.PreinitMain);
        Assert.Equal(["theirs", "ours"], log);
        Assert.Contains(plan.Problems, p => p.Contains("replaced by preinit's own of the same name (not run): " +
            "failsafe_wait from 10_shell (ours in 30_failsafe_wait)"));
    }

    [Fact]
    public void Plan_EarlierProblems_AreReportedWithItsOwn() =>
        Assert.Equal(["reading failed"], new HookPlan([], ["reading failed"]).Problems);

    [Theory]
    [InlineData("f", 'f')]
    [InlineData(" F ", 'f')]
    [InlineData("3", '3')]
    [InlineData("5", null)]
    [InlineData("ff", null)]
    [InlineData("", null)]
    public void FailsafeKeys_Parse(string line, char? key) => Assert.Equal(key, FailsafeKeys.Parse(line));
}
