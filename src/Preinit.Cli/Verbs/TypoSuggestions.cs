// System.CommandLine's "did you mean" lines, written the way its ParseErrorAction writes them. The library's own copy
// sorts (string, int) tuples with LINQ, which made the compiler keep a copy of LINQ's iterators for that tuple
// (about 210 KB); native-aot/ILLink.Substitutions.xml empties it and this one, plain loops, runs instead.
using System.CommandLine;
using System.CommandLine.Invocation;

namespace Preinit.Cli.Verbs;

public static class TypoSuggestions
{
    private const int MaxLevenshteinDistance = 3;

    /// <summary>What ParseErrorAction writes before the errors: for each unmatched token, the closest options and
    /// subcommands of the command it was given to, after a line naming the token.</summary>
    public static void Write(ParseResult result, TextWriter output)
    {
        if (result.Action is not ParseErrorAction { ShowTypoCorrections: true } action) return;
        action.ShowTypoCorrections = false; // written here, once, also where the library's own copy is not emptied (dotnet test)
        var unmatched = result.UnmatchedTokens;
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            var first = true;
            foreach (var suggestion in PossibleTokens(result.CommandResult.Command, token))
            {
                if (first)
                {
                    output.WriteLine($"'{token}' was not matched. Did you mean one of the following?");
                    first = false;
                }
                output.WriteLine(suggestion);
            }
        }
        if (unmatched.Count != 0) output.WriteLine();
    }

    /// <summary>The library's GetPossibleTokens: each visible option or subcommand by its name or alias closest to the
    /// token (ties: the longer common start, then the first); of those within 3 edits, the closest ones, longest
    /// common start first, in the order of the command's children when equal.</summary>
    public static List<string> PossibleTokens(Command command, string token)
    {
        var found = new List<string>();
        var distances = new List<int>();
        var starts = new List<int>();
        if (command.Subcommands.Count == 0 && command.Options.Count == 0) return found;
        foreach (var symbol in command.Children)
        {
            if (symbol.Hidden) continue;
            ICollection<string> aliases;
            if (symbol is Option option) aliases = option.Aliases;
            else if (symbol is Command sub) aliases = sub.Aliases;
            else continue;
            var best = symbol.Name;
            var bestDistance = Distance(token, best);
            var bestStart = StartsWithDistance(token, best);
            foreach (var alias in aliases)
            {
                var d = Distance(token, alias);
                var s = StartsWithDistance(token, alias);
                if (d < bestDistance || (d == bestDistance && s > bestStart)) (best, bestDistance, bestStart) = (alias, d, s);
            }
            var distance = Distance(token, best);
            if (distance > MaxLevenshteinDistance) continue;
            // Insert after every entry that sorts before or equal to it: a stable sort by distance, then start (descending).
            var start = StartsWithDistance(token, best);
            var at = found.Count;
            while (at > 0 && (distances[at - 1] > distance || (distances[at - 1] == distance && starts[at - 1] < start))) at--;
            found.Insert(at, best);
            distances.Insert(at, distance);
            starts.Insert(at, start);
        }
        var count = 0;
        while (count < found.Count && distances[count] == distances[0]) count++;
        found.RemoveRange(count, found.Count - count);
        return found;
    }

    private static int StartsWithDistance(string first, string second)
    {
        int i;
        for (i = 0; i < first.Length && i < second.Length && first[i] == second[i]; i++) { }
        return i;
    }

    private static int Distance(string first, string second)
    {
        int n = first.Length, m = second.Length;
        if (n == 0) return m;
        if (m == 0) return n;
        var current = new int[m + 1];
        var next = new int[m + 1];
        for (var j = 0; j <= m; ++j) current[j] = j;
        for (var i = 1; i <= n; ++i)
        {
            next[0] = i;
            for (var j = 1; j <= m; ++j)
                next[j] = Math.Min(current[j] + 1, Math.Min(next[j - 1] + 1, current[j - 1] + (first[i - 1] == second[j - 1] ? 0 : 1)));
            (current, next) = (next, current);
        }
        return current[m];
    }
}
