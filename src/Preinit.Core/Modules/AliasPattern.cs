// The shell-style patterns of modules.alias ("usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*"): '*', '?'
// and '[...]' classes, matched against a device's modalias as modprobe does with fnmatch(3).
namespace Preinit.Core.Modules;

public static class AliasPattern
{
    public static bool IsMatch(string pattern, string text) => Match(pattern, 0, text, 0);

    /// <summary>Iterative '*' backtracking (linear in practice, no recursion on '*'): patterns come from a file.</summary>
    private static bool Match(string p, int pi, string t, int ti)
    {
        int starP = -1, starT = -1;
        while (ti < t.Length)
        {
            if (pi < p.Length && p[pi] == '*') { starP = pi++; starT = ti; continue; }
            if (pi < p.Length && MatchOne(p, ref pi, t[ti])) { ti++; continue; }
            if (starP < 0) return false;
            pi = starP + 1;
            ti = ++starT;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    /// <summary>Matches one character at p[pi] ('?', a class or a literal); advances pi past it on success.</summary>
    private static bool MatchOne(string p, ref int pi, char c)
    {
        if (p[pi] == '?') { pi++; return true; }
        if (p[pi] != '[') { if (p[pi] != c) return false; pi++; return true; }

        var i = pi + 1;
        var negate = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negate) i++;
        var matched = false;
        var first = true;
        for (; i < p.Length && (p[i] != ']' || first); i++, first = false)
        {
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                if (c >= p[i] && c <= p[i + 2]) matched = true;
                i += 2;
            }
            else if (p[i] == c) matched = true;
        }
        if (i >= p.Length) { if (p[pi] != c) return false; pi++; return true; } // no closing ']': a literal '['
        if (matched == negate) return false;
        pi = i + 1;
        return true;
    }
}
