// `preinit hooks`: each hook with its functions in run order, the module that adds each (its place in
// the order) and where it is defined (a C# module class, or a shell hook file of another package).
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Core.Hooks;

namespace Preinit.Cli.Verbs;

public sealed class HooksVerb : Verb
{
    public Option<string?> CommandLine { get; } = ConfigOptions.CommandLine();
    public Option<string?> Conf { get; } = ConfigOptions.Conf();
    public Option<string?> HookDirectory { get; } = ConfigOptions.HookDirectory();
    public Option<bool> SourceHookFiles { get; } = ConfigOptions.SourceHookFiles();

    public HooksVerb() : base("hooks", "list the hooks and their functions in run order")
    {
        Add(CommandLine);
        Add(Conf);
        Add(HookDirectory);
        Add(SourceHookFiles);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        using var host = PreinitHost.Build(ConfigOptions.Inputs(result, CommandLine, Conf, HookDirectory, SourceHookFiles));
        var plan = host.Services.GetRequiredService<HookPlan>();
        foreach (var hook in HookNames.All)
        {
            var functions = plan.Functions(hook);
            output.WriteLine($"{hook}:{(functions.Count == 0 ? " (no functions)" : "")}");
            foreach (var f in functions) output.WriteLine($"  {f.Name,-26} {f.Module,-28} {f.Source}");
        }
        foreach (var p in plan.Problems) error.WriteLine($"Warning: {p}");
        return 0;
    }
}
