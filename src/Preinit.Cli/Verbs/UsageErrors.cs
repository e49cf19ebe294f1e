// System.CommandLine's parse errors in a user's words, one `Error:` line each, ending with where
// the usage is: a value of the wrong kind is named by what it should be ("a number"), not by the
// .NET type ("System.Nullable`1[System.Double]"); the same message twice (two missing arguments)
// is said once; an unknown word explains a missing command. A usage error exits 2, as most tools
// do. Plain string work: the regex engine would cost the binary more than this whole file.
using System.CommandLine;

namespace Preinit.Cli.Verbs;

public static class UsageErrors
{
    private const string Start = "Cannot parse argument '", For = "' for ", AsType = " as expected type '";

    /// <returns>The exit status of a usage error.</returns>
    public static int Write(ParseResult result, Command root, TextWriter error)
    {
        TypoSuggestions.Write(result, error);
        var verb = result.CommandResult.Command == root ? "preinit" : $"preinit {result.CommandResult.Command.Name}";
        var unrecognized = false;
        foreach (var e in result.Errors) unrecognized |= e.Message.StartsWith("Unrecognized", StringComparison.Ordinal);
        var said = new HashSet<string>();
        foreach (var e in result.Errors)
        {
            if (unrecognized && e.Message.StartsWith("Required command", StringComparison.Ordinal)) continue;
            if (said.Add(e.Message)) error.WriteLine($"Error: {InWords(e.Message)} (see {verb} --help)");
        }
        return 2;
    }

    public static string InWords(string message)
    {
        var typeAt = message.LastIndexOf(AsType, StringComparison.Ordinal);
        var forAt = message.LastIndexOf(For, typeAt < 0 ? 0 : typeAt, StringComparison.Ordinal);
        if (!message.StartsWith(Start, StringComparison.Ordinal) || typeAt < 0 || forAt < Start.Length) return message;
        var value = message[Start.Length..forAt];
        var what = message[(forAt + For.Length)..typeAt]; // option '--timeout'
        var name = what.IndexOf('\'') is var q and >= 0 ? what[(q + 1)..].TrimEnd('\'') : what;
        var type = message[(typeAt + AsType.Length)..];
        var kind = type.Contains("Double") || type.Contains("Single") || type.Contains("Decimal") ? "a number"
            : type.Contains("Int") ? "a whole number"
            : type.Contains("Boolean") ? "true or false"
            : "a value of the right kind";
        return $"{name} '{value}' is not {kind}";
    }
}
