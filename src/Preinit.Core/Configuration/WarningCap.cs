// A broken or hostile file can make one warning per line: an 830 KB fstab of backslash-newline
// lines made 400,000, each on the console and in the kernel log at boot. The first few of a file say
// what is wrong; the rest is one line with their count and where to see them all.
namespace Preinit.Core.Configuration;

public static class WarningCap
{
    public const int PerFile = 20;

    /// <param name="hint">What the user can do about the rest, ending the summary line.</param>
    public static IEnumerable<string> Cap(IEnumerable<string> warnings, string file, string hint, int max = PerFile)
    {
        var count = 0;
        foreach (var w in warnings)
            if (++count <= max) yield return w;
        if (count > max)
            yield return $"{file}: {count - max} more problems not shown ({count} in all); {hint}";
    }
}
