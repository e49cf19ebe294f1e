// The bridge to other packages' shell hook files, with the real /bin/sh: what each file adds is found
// by sourcing them, the functions take their file's place among preinit's own modules, and each runs
// with every file sourced, the settings set, and its status logged.
using Preinit.Boot.Hooks;
using Preinit.Boot.Network;
using Preinit.Boot.Stages;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;
using Serilog;
using Xunit;

namespace Preinit.Tests.Unit;

public sealed class ShellHookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-hooks.").FullName;
    private readonly List<string> _log = [];

    public void Dispose() => Directory.Delete(_dir, true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    private (ShellHookFiles Files, HookPlan Plan, StepRunner Runner) Load(PreinitSession? session = null, params IPreinitModule[] ours)
    {
        var files = new ShellHookFiles(_dir, new Dictionary<string, string> { ["pi_ip"] = "10.9.8.7", ["extroot.force"] = "0" },
            session ?? new PreinitSession(new PreinitSettings()));
        var plan = new HookPlan(ours.Concat(files.Modules()), files.Problems);
        var logger = new LoggerConfiguration().WriteTo.Sink(new ListSink(_log)).CreateLogger();
        return (files, plan, new StepRunner(logger, plan));
    }

    private sealed class ListSink(List<string> lines) : Serilog.Core.ILogEventSink
    {
        public void Emit(Serilog.Events.LogEvent e) => lines.Add(e.RenderMessage());
    }

    private sealed class Ours(string name, string hook, string function, List<string> ran) : IPreinitModule
    {
        public string Name => name;
        public void Register(HookRegistrar hooks) => hooks.Add(hook, function, new Mark(function, ran));
    }

    private sealed record Mark(string Name, List<string> Ran) : IBootStep
    {
        public StepOutcome Run(IStepContext context) { Ran.Add(Name); return StepOutcome.Continue; }
    }

    [Fact]
    public void Modules_NoFilesButTheSettings_StartsNoShellAndAddsNothing()
    {
        Write("00_preinit.conf", "pi_ip=1.2.3.4\n");
        var (files, plan, _) = Load();
        Assert.Empty(files.Modules());
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void Functions_RunAtTheirFilesPlace_WithTheFilesSourcedAndTheSettingsSet()
    {
        var outFile = Path.Combine(_dir, "out");
        Write("00_preinit.conf", "pi_ip=1.2.3.4\nfrom_conf=yes\n");
        Write("05_helpers", "helper() { echo \"helper $1\"; }\n");
        Write("50_fake_package", $$"""
            fake_main() { helper "ip=$pi_ip conf=$from_conf preinit=$PREINIT" >> {{outFile}}; }
            fake_root() { echo root >> {{outFile}}; return 3; }
            boot_hook_add preinit_main fake_main
            boot_hook_add preinit_mount_root fake_root
            """);
        var ran = new List<string>();
        var (_, plan, runner) = Load(null, new Ours("40_console", HookNames.PreinitMain, "ours_before", ran),
            new Ours("75_mount_extroot", HookNames.PreinitMain, "ours_after", ran));

        Assert.Equal(["ours_before", "fake_main", "ours_after"], plan.Functions(HookNames.PreinitMain).Select(f => f.Name));
        Assert.Equal($"shell {Path.Combine(_dir, "50_fake_package")}", plan.Functions(HookNames.PreinitMain)[1].Source);
        Assert.Equal("50_fake_package", plan.Functions(HookNames.PreinitMountRoot)[0].Module);

        runner.RunHook(HookNames.PreinitMain);
        runner.RunHook(HookNames.PreinitMountRoot);
        // The kernel command line's value (here 10.9.8.7) wins over 00_preinit.conf's, as for preinit itself.
        Assert.Equal("helper ip=10.9.8.7 conf=yes preinit=1\nroot\n", File.ReadAllText(outFile));
        Assert.Contains(_log, l => l.Contains("fake_main (50_fake_package) exited with status 0"));
        Assert.Contains(_log, l => l.Contains("fake_root (50_fake_package) exited with status 3"));
        Assert.Equal(["ours_before", "ours_after"], ran);
    }

    [Fact]
    public void Function_NamedLikeOneOfOurs_IsReportedAndNotRun()
    {
        var outFile = Path.Combine(_dir, "out");
        Write("10_indicate_preinit", $"preinit_ip() {{ echo shell >> {outFile}; }}\nboot_hook_add preinit_main preinit_ip\n");
        var ran = new List<string>();
        var (_, plan, runner) = Load(null, new Ours("20_indicate_preinit", HookNames.PreinitMain, "preinit_ip", ran));
        runner.RunHook(HookNames.PreinitMain);
        Assert.Equal(["preinit_ip"], ran);
        Assert.False(File.Exists(outFile));
        Assert.Contains(plan.Problems, p => p.Contains("preinit_ip from 10_indicate_preinit (ours in "));
    }

    [Fact]
    public void BootRunHook_InsideAShellFunction_RunsTheShellFunctionsOfThatHook()
    {
        var outFile = Path.Combine(_dir, "out");
        Write("60_pkg", $$"""
            outer() { echo "outer failsafe=$FAILSAFE" >> {{outFile}}; boot_run_hook pkg_private; }
            inner() { echo inner >> {{outFile}}; }
            pi_hook_add preinit_main outer
            boot_hook_add pkg_private inner
            """);
        var session = new PreinitSession(new PreinitSettings()) { Failsafe = true };
        var (_, plan, runner) = Load(session);
        runner.RunHook(HookNames.PreinitMain);
        Assert.Equal("outer failsafe=true\ninner\n", File.ReadAllText(outFile));
        Assert.Contains(plan.Problems, p => p.Contains("inner added to unknown hook 'pkg_private'"));
    }

    [Theory]
    [InlineData("f;touch${IFS}OUT;:")]     // code pasted as a function name
    [InlineData("preinit_ip;:")]           // round "ours replaces theirs"
    [InlineData("$(touch${IFS}OUT)")]
    public void FunctionNameThatIsNotAnIdentifier_IsRefusedAndNeverRun(string name)
    {
        var outFile = Path.Combine(_dir, "out");
        name = name.Replace("OUT", outFile);
        Write("50_pkg", $"boot_hook_add preinit_main '{name}'\n");
        var (_, plan, runner) = Load();

        runner.RunHook(HookNames.PreinitMain);

        Assert.Empty(plan.Functions(HookNames.PreinitMain));
        Assert.False(File.Exists(outFile));
        Assert.Contains(plan.Problems, p => p.Contains("hook and function names must be shell identifiers") && p.Contains("50_pkg"));
    }

    [Fact]
    public void FileNameWithANewline_CannotForgeARegistration()
    {
        // Sourced, this file prints its own name; the discovery must not take that for a registration.
        var outFile = Path.Combine(_dir, "out");
        Write("60_x\n@@preinit-hook preinit_main forged", "forged() { echo ran >> " + outFile + "; }\n");
        var (_, plan, runner) = Load();

        runner.RunHook(HookNames.PreinitMain);

        Assert.Empty(plan.Functions(HookNames.PreinitMain));
        Assert.False(File.Exists(outFile));
    }

    /// <summary>OpenWrt's hook files call functions of /lib/functions.sh and the others, which /etc/preinit sources first;
    /// preinit.sh there defines boot_hook_add too, and ours must be the one in force.</summary>
    [Fact]
    public void Scripts_SourceTheLibrariesFirst_AndOurBootHookAddWins()
    {
        Write("functions.sh", "library_helper() { echo \"helped $1\"; }\nboot_hook_add() { echo theirs; }\n");
        Write("10_openwrt", "uses_library() { library_helper from-the-library; }\nboot_hook_add preinit_main uses_library\n");
        string[] libraries = [Path.Combine(_dir, "functions.sh")], files = [Path.Combine(_dir, "10_openwrt")];

        var discovered = Support.Tools.Run("/bin/sh", "-c", ShellHookSourcing.Discovery(libraries), "sh", files[0]);
        var ran = Support.Tools.Run("/bin/sh", "-c", ShellHookSourcing.Run(libraries, files, "uses_library", []));

        Assert.Contains("@@preinit-hook preinit_main uses_library", discovered);
        Assert.DoesNotContain("theirs", discovered);
        Assert.Equal("helped from-the-library\n", ran);
    }

    [Fact]
    public void Run_RefusesAFunctionNameThatIsNotAnIdentifier() =>
        Assert.Throws<ArgumentException>(() => ShellHookSourcing.Run([], [], "a;b", []));

    [Fact]
    public void BrokenFile_KeepsWhatWasFoundBeforeAndSaysSo()
    {
        Write("20_good", "good() { :; }\nboot_hook_add preinit_main good\n");
        Write("30_bad", "boot_hook_add preinit_main bad\nif then fi (\n");
        var (_, plan, _) = Load();
        Assert.Contains("good", plan.Functions(HookNames.PreinitMain).Select(f => f.Name));
        Assert.Contains(plan.Problems, p => p.Contains("sourcing the hook files in") && p.Contains("stopped with status"));
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    public void Quote_GivesTheSameWordBack(string value, string quoted) => Assert.Equal(quoted, ShellHookSourcing.Quote(value));
}
