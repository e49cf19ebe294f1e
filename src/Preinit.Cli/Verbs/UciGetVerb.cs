// `preinit uci get FILE SECTION[.OPTION]`: one value as `uci get` prints it (a section's type when no
// option is given).
using System.CommandLine;
using Preinit.Core.Uci;

namespace Preinit.Cli.Verbs;

public sealed class UciGetVerb : Verb
{
    public Argument<string> UciFile { get; } = UciVerb.FileArgument();
    public Argument<string> Entry { get; } = new("SECTION[.OPTION]") { Description = UciVerb.SectionHelp +
        ": the option's value is printed, or the section's type" };

    public UciGetVerb() : base("get", "print one value as `uci get` (a section's type when no option is given)")
    {
        Add(UciFile);
        Add(Entry);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (UciVerb.Load(result.GetValue(UciFile)!, error) is not { } loaded) return 1;
        var (package, failed) = loaded;
        var tuple = result.GetValue(Entry)!;
        var found = UciLookup.Resolve(package, tuple);
        if (found.Status != UciLookupStatus.Found) return UciVerb.NotFound(found, error);
        // cli.c uci_do_section_cmd: get with "=value" exits 1 without a message; we say why.
        if (found.Value is not null) return Fail(error, $"'{tuple}': get takes no =value");
        output.Write(found.Option is { } option ? UciText.Get(option) : UciText.Get(found.Section!));
        return failed;
    }
}
