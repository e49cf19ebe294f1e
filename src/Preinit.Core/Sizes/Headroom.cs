// Free space to leave in the root image: a fixed size, a percentage of the tree, or the default
// "auto" (the larger of 512 KiB and 10 %), so a small tree still has room for /etc changes.
namespace Preinit.Core.Sizes;

public readonly record struct Headroom(long Bytes, int Percent)
{
    public const long AutoMinimum = 512 * 1024;
    public const int AutoPercent = 10;

    public static Headroom Auto => new(AutoMinimum, AutoPercent);

    /// <summary>Bytes of headroom for a tree that needs <paramref name="treeBytes"/>.</summary>
    public long For(long treeBytes) => Math.Max(Bytes, treeBytes * Percent / 100);

    public static bool TryParse(string text, out Headroom headroom)
    {
        headroom = Auto;
        var s = text.Trim();
        if (s.Equals("auto", StringComparison.OrdinalIgnoreCase)) return true;
        if (s.EndsWith('%'))
        {
            if (!int.TryParse(s[..^1], System.Globalization.NumberStyles.None, null, out var p) || p > 1000) return false;
            headroom = new(0, p);
            return true;
        }
        if (!ByteSize.TryParse(s, out var bytes)) return false;
        headroom = new(bytes, 0);
        return true;
    }

    public override string ToString() => (Bytes, Percent) switch
    {
        (AutoMinimum, AutoPercent) => "auto (max of 512K and 10%)",
        (0, var p) => $"{p}%",
        (var b, 0) => ByteSize.Format(b),
        var (b, p) => $"max of {ByteSize.Format(b)} and {p}%",
    };
}
