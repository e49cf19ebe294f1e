// `preinit run-hook HOOK [--skip FUNCTION]...`: one hook's functions run by hand, exactly as boot runs
// them (settings from --cmdline and --conf, each function at most once, shell hook files included),
// for trying a module or a package's hook file on a running system or in a chroot. A hook that ends
// in run_init replaces this process with init, as at boot.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Stages;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public sealed class RunHookVerb : Verb
{
    public Argument<string> Hook { get; } = new("HOOK") { Description = $"one of: {string.Join(", ", HookNames.All)}" };
    public Option<string[]> Skip { get; } = new("--skip") { Description = "a function not to run (as if it had run already); repeatable",
        AllowMultipleArgumentsPerToken = true };
    public Option<string?> CommandLine { get; } = ConfigOptions.CommandLine();
    public Option<string?> Conf { get; } = ConfigOptions.Conf();
    public Option<string?> HookDirectory { get; } = ConfigOptions.HookDirectory();

    public RunHookVerb() : base("run-hook", "run one hook's functions now, as boot would (mounts, network, exec of init: " +
        "for a chroot or a test machine)")
    {
        Add(Hook);
        Add(Skip);
        Add(CommandLine);
        Add(Conf);
        Add(HookDirectory);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var name = result.GetValue(Hook)!;
        if (!HookNames.All.Contains(name)) return Fail(error, $"no hook '{name}' (hooks: {string.Join(", ", HookNames.All)})");
        using var host = PreinitHost.Build(ConfigOptions.Inputs(result, CommandLine, Conf, HookDirectory));
        var runner = host.Services.GetRequiredService<StepRunner>();
        foreach (var function in result.GetValue(Skip) ?? []) runner.Skip(function);
        foreach (var problem in host.Services.GetRequiredService<HookPlan>().Problems) error.WriteLine($"Warning: {problem}");
        runner.RunHook(name);
        return 0;
    }
}
