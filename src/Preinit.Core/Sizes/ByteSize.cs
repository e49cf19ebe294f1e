// Sizes as users write them on the kernel command line: 4096, 512K, 64M, 1G (powers of 1024).
namespace Preinit.Core.Sizes;

public static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        if (s.Length == 0) return false;
        var unit = char.ToUpperInvariant(s[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L };
        if (unit != 1) s = s[..^1];
        if (s.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) return false;
        if (!long.TryParse(s, System.Globalization.NumberStyles.None, null, out var n) || n > long.MaxValue / unit)
            return false;
        bytes = n * unit;
        return true;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}G",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}M",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}K",
        _ => bytes.ToString(),
    };

    /// <summary>A human figure for log lines: 37.2 MiB.</summary>
    public static string Human(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
