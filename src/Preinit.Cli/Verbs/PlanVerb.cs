// `preinit plan`: the stage 1 and stage 2 steps boot would run with these settings, as their log
// lines. Touches nothing.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public static class PlanVerb
{
    /// <summary>A hook's steps; a step that runs another hook (boot_run_hook) is followed by that hook's steps, indented.</summary>
    private static void PrintHook(HookPlan hooks, string hook, string indent)
    {
        foreach (var function in hooks.Functions(hook))
            foreach (var step in function.Steps)
            {
                Console.WriteLine($"{indent}{hook}/{function.Name}: {step}");
                if (step is RunHookStep nested && indent.Length < 8) PrintHook(hooks, nested.Hook, indent + "  ");
            }
    }

    public static Command Create()
    {
        var commandLine = ConfigOptions.CommandLine();
        var conf = ConfigOptions.Conf();
        var command = new Command("plan", "print the steps stage 1 and stage 2 would run, touching nothing") { commandLine, conf };
        command.SetAction(result =>
        {
            using var host = PreinitHost.Build(ConfigOptions.Inputs(result, commandLine, conf));
            var services = host.Services;
            Console.WriteLine("stage 1 (/init):");
            foreach (var step in StageOne.KernelFilesystems().Concat(services.GetRequiredService<StageOne>().Steps()))
                Console.WriteLine($"  {step}");
            if (services.GetRequiredService<StageOne>().Steps().Count == 0)
                Console.WriteLine($"  (loop root off) exec {StageOne.StageTwoPath} in place");

            var hooks = services.GetRequiredService<HookPlan>();
            Console.WriteLine($"stage 2 ({StageOne.StageTwoPath}):");
            foreach (var hook in StageTwo.TopLevelHooks) PrintHook(hooks, hook, "  ");
            foreach (var p in PreinitHost.Problems(services)) Console.Error.WriteLine($"Warning: {p}");
            return 0;
        });
        return command;
    }
}
