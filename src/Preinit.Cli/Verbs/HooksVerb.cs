// `preinit hooks`: each hook with its functions in run order, the module that adds each (its place in
// the order) and where it is defined (a C# module class, or a shell hook file of another package).
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public static class HooksVerb
{
    public static Command Create()
    {
        var commandLine = ConfigOptions.CommandLine();
        var conf = ConfigOptions.Conf();
        var hookDir = ConfigOptions.HookDirectory();
        var source = ConfigOptions.SourceHookFiles();
        var command = new Command("hooks", "list the hooks and their functions in run order") { commandLine, conf, hookDir, source };
        command.SetAction(result =>
        {
            using var host = PreinitHost.Build(ConfigOptions.Inputs(result, commandLine, conf, hookDir, source));
            var plan = host.Services.GetRequiredService<HookPlan>();
            foreach (var hook in HookNames.All)
            {
                var functions = plan.Functions(hook);
                Console.WriteLine($"{hook}:{(functions.Count == 0 ? " (no functions)" : "")}");
                foreach (var f in functions) Console.WriteLine($"  {f.Name,-26} {f.Module,-28} {f.Source}");
            }
            foreach (var p in plan.Problems) Console.Error.WriteLine($"Warning: {p}");
            return 0;
        });
        return command;
    }
}
