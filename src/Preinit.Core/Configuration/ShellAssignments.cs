// Reads the sh variable assignments of /lib/preinit/00_preinit.conf without a shell:
// NAME=value, NAME="value", NAME='value', "export NAME=...", comments and blank lines.
using System.Text;

namespace Preinit.Core.Configuration;

public sealed record ShellAssignment(string Name, string Value, int Line);

public sealed record ShellParseProblem(int Line, string Message);

public static class ShellAssignments
{
    public static (IReadOnlyList<ShellAssignment> Assignments, IReadOnlyList<ShellParseProblem> Problems) Parse(string text)
    {
        var assignments = new List<ShellAssignment>();
        var problems = new List<ShellParseProblem>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();

            var eq = line.IndexOf('=');
            var name = eq > 0 ? line[..eq] : "";
            if (!IsName(name))
            {
                problems.Add(new(n + 1, $"not a variable assignment: '{lines[n].Trim()}' (expected NAME=value)"));
                continue;
            }
            if (TryUnquote(line[(eq + 1)..], out var value, out var error))
                assignments.Add(new(name, value, n + 1));
            else
                problems.Add(new(n + 1, $"{name}: {error}"));
        }
        return (assignments, problems);
    }

    private static bool IsName(string s) =>
        s.Length > 0 && !char.IsAsciiDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>sh word rules for one word: quotes concatenate, backslash escapes
    /// outside single quotes, '#' after a blank starts a comment.</summary>
    private static bool TryUnquote(string raw, out string value, out string error)
    {
        var sb = new StringBuilder();
        error = "";
        value = "";
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            switch (c)
            {
                case '\'':
                    var end = raw.IndexOf('\'', i + 1);
                    if (end < 0) { error = "unterminated single quote"; return false; }
                    sb.Append(raw, i + 1, end - i - 1);
                    i = end;
                    break;
                case '"':
                    i++;
                    for (; i < raw.Length && raw[i] != '"'; i++)
                    {
                        if (raw[i] == '\\' && i + 1 < raw.Length && "\"\\$`".Contains(raw[i + 1])) i++;
                        sb.Append(raw[i]);
                    }
                    if (i >= raw.Length) { error = "unterminated double quote"; return false; }
                    break;
                case '\\' when i + 1 < raw.Length:
                    sb.Append(raw[++i]);
                    break;
                case ' ' or '\t':
                    var rest = raw[i..].TrimStart();
                    if (rest.Length == 0 || rest[0] == '#' || rest[0] == ';') { value = sb.ToString(); return true; }
                    error = $"unquoted space in value (quote it: \"{raw.Trim()}\")";
                    return false;
                default:
                    sb.Append(c);
                    break;
            }
        }
        value = sb.ToString();
        return true;
    }
}
