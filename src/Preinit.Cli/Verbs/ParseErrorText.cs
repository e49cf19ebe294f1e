// System.CommandLine's parse errors in a user's words: a value of the wrong kind is named by what
// it should be ("a number"), not by the .NET type ("System.Nullable`1[System.Double]"). Plain
// string work: the regex engine would cost the binary more than this whole file.
namespace Preinit.Cli.Verbs;

public static class ParseErrorText
{
    private const string Start = "Cannot parse argument '", For = "' for ", AsType = " as expected type '";

    public static string Of(string message)
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
