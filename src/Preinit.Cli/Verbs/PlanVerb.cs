// `preinit plan`: the stage 1 and stage 2 steps boot would run with these settings, as their log
// lines. Touches nothing.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public static class PlanVerb
{
    /// <summary>A hook's steps; a step that runs another hook (boot_run_hook) is followed by that hook's steps, indented.</summary>
    private static void PrintHook(TextWriter output, HookPlan hooks, string hook, string indent, ISet<string> printed)
    {
        printed.Add(hook);
        foreach (var function in hooks.Functions(hook))
            foreach (var step in function.Steps)
            {
                output.WriteLine($"{indent}{hook}/{function.Name}: {step}");
                if (step is RunHookStep nested && indent.Length < 8) PrintHook(output, hooks, nested.Hook, indent + "  ", printed);
            }
    }

    /// <summary>When the hooks that only some boots run are run.</summary>
    private static readonly Dictionary<string, string> Conditional = new()
    {
        [HookNames.Failsafe] = "in failsafe mode, from run_failsafe_hook",
        [HookNames.Initramfs] = "on the initramfs, from initramfs_test",
    };

    public static Command Create()
    {
        var commandLine = ConfigOptions.CommandLine();
        var conf = ConfigOptions.Conf();
        var hookDir = ConfigOptions.HookDirectory();
        var source = ConfigOptions.SourceHookFiles();
        var command = new Command("plan", "print the steps stage 1 and stage 2 would run, touching nothing") { commandLine, conf, hookDir,
            source };
        command.SetAction(result =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            using var host = PreinitHost.Build(ConfigOptions.Inputs(result, commandLine, conf, hookDir, source));
            var services = host.Services;
            output.WriteLine("stage 1 (/init):");
            foreach (var step in services.GetRequiredService<StageOne>().Steps())
                output.WriteLine($"  {step}");
            if (!services.GetRequiredService<PreinitSettings>().LoopRoot)
                output.WriteLine($"  (loop root off) exec {StageOne.StageTwoPath} in place");

            var hooks = services.GetRequiredService<HookPlan>();
            output.WriteLine($"stage 2 ({StageOne.StageTwoPath}):");
            var printed = new HashSet<string>();
            foreach (var hook in StageTwo.TopLevelHooks) PrintHook(output, hooks, hook, "  ", printed);
            foreach (var hook in HookNames.All.Where(h => !printed.Contains(h)))
            {
                output.WriteLine($"  {hook} ({Conditional.GetValueOrDefault(hook, "run by a function of another hook")}):");
                if (hooks.Functions(hook).Count == 0) output.WriteLine("    (no functions)");
                PrintHook(output, hooks, hook, "    ", printed);
            }
            foreach (var p in PreinitHost.Problems(services)) error.WriteLine($"Warning: {p}");
            return 0;
        });
        return command;
    }
}
