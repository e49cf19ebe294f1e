// `preinit uci export FILE`: the file in libuci's own format, as `uci export` prints it.
using System.CommandLine;
using Preinit.Core.Uci;

namespace Preinit.Cli.Verbs;

public sealed class UciExportVerb : Verb
{
    public Argument<string> UciFile { get; } = UciVerb.FileArgument();

    public UciExportVerb() : base("export", "print the file in libuci's own format, as `uci export`") => Add(UciFile);

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (UciVerb.Load(result.GetValue(UciFile)!, error) is not { } loaded) return 1;
        output.Write(UciText.Export(loaded.Package));
        return loaded.Failed;
    }
}
