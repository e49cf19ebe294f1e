// `preinit run-hook HOOK [--skip FUNCTION]...`: one hook's functions run by hand, exactly as boot runs
// them (settings from --cmdline and --conf, each function at most once, shell hook files included),
// for trying a module or a package's hook file on a running system or in a chroot. A hook that ends
// in run_init replaces this process with init, as at boot.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Stages;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public static class RunHookVerb
{
    public static Command Create()
    {
        var hook = new Argument<string>("HOOK") { Description = $"one of: {string.Join(", ", HookNames.All)}" };
        var skip = new Option<string[]>("--skip") { Description = "a function not to run (as if it had run already); repeatable", AllowMultipleArgumentsPerToken = true };
        var commandLine = ConfigOptions.CommandLine();
        var conf = ConfigOptions.Conf();
        var hookDir = ConfigOptions.HookDirectory();
        var command = new Command("run-hook", "run one hook's functions now, as boot would (mounts, network, exec of init: for a chroot or a test machine)")
            { hook, skip, commandLine, conf, hookDir };
        command.SetAction(result =>
        {
            var name = result.GetValue(hook)!;
            if (!HookNames.All.Contains(name))
            {
                Console.Error.WriteLine($"Error: no hook '{name}' (hooks: {string.Join(", ", HookNames.All)})");
                return 1;
            }
            using var host = PreinitHost.Build(ConfigOptions.Inputs(result, commandLine, conf, hookDir));
            var runner = host.Services.GetRequiredService<StepRunner>();
            foreach (var function in result.GetValue(skip) ?? []) runner.Skip(function);
            foreach (var problem in host.Services.GetRequiredService<HookPlan>().Problems) Console.Error.WriteLine($"Warning: {problem}");
            runner.RunHook(name);
            return 0;
        });
        return command;
    }
}
