// `preinit modprobe NAME...`: kernel modules by name or alias, with their dependencies, or .ko files
// by path as they are.
using System.CommandLine;
using Preinit.Boot.Kernel;

namespace Preinit.Cli.Verbs;

public sealed class ModprobeVerb : Verb
{
    public Argument<string[]> Names { get; } = new("NAME")
    {
        Description = "module names or aliases, or paths to .ko files (loaded as they are)", Arity = ArgumentArity.OneOrMore,
    };

    public ModprobeVerb() : base("modprobe", "load kernel modules with their dependencies from modules.dep") => Add(Names);

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), error.WriteLine);
        var status = 0;
        foreach (var name in result.GetValue(Names)!)
        {
            try
            {
                var inserted = loader.Load(name);
                output.WriteLine(inserted.Count == 0 ? $"{name}: already available" : $"{name}: loaded {string.Join(", ", inserted)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
            {
                // The loader's message names the module file; a file given by path is not named twice.
                status = Fail(error, e.Message.StartsWith(name + ":", StringComparison.Ordinal) ? e.Message : $"{name}: {e.Message}");
            }
        }
        return status;
    }
}
