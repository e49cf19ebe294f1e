// `preinit uci show FILE [SECTION[.OPTION]]`: the file, a section or an option as `uci show` prints them.
using System.CommandLine;
using Preinit.Core.Uci;

namespace Preinit.Cli.Verbs;

public sealed class UciShowVerb : Verb
{
    public Argument<string> UciFile { get; } = UciVerb.FileArgument();
    public Argument<string?> Entry { get; } = new("SECTION[.OPTION]") { Description = UciVerb.SectionHelp,
        Arity = ArgumentArity.ZeroOrOne };

    public UciShowVerb() : base("show", "print the file as `uci show`: pkg.@type[N]=type, pkg.@type[N].option='value'")
    {
        Add(UciFile);
        Add(Entry);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (UciVerb.Load(result.GetValue(UciFile)!, error) is not { } loaded) return 1;
        var (package, failed) = loaded;
        if (result.GetValue(Entry) is not { } tuple)
        {
            output.Write(UciText.Show(package));
            return failed;
        }
        var found = UciLookup.Resolve(package, tuple);
        if (found.Status != UciLookupStatus.Found) return UciVerb.NotFound(found, error);
        output.Write(found.Option is { } option
            ? UciText.ShowOption(package, found.Section!, option)
            : UciText.ShowSection(package, found.Section!));
        return failed;
    }
}
