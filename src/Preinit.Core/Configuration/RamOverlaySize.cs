// preinit.ramoverlay: how large the tmpfs that takes a RAM-only session's changes may grow, as
// tmpfs's own size= option says it (a size, or a share of RAM), or off to keep writing into the
// RAM root image itself (no overlay: the image's headroom is all the room there is).
using Preinit.Core.Sizes;

namespace Preinit.Core.Configuration;

public sealed class RamOverlaySize
{
    public static readonly RamOverlaySize Default = new("50%");

    private RamOverlaySize(string? tmpfsSize) => TmpfsSize = tmpfsSize;

    /// <summary>The tmpfs size= value (64M, 50%), or null when the setting is off.</summary>
    public string? TmpfsSize { get; }

    public bool Off => TmpfsSize is null;

    public static bool TryParse(string text, out RamOverlaySize size)
    {
        size = Default;
        var s = text.Trim();
        if (PreinitSettings.TryParseFlag(s, out var on) && !on)
        {
            size = new RamOverlaySize(null);
            return true;
        }
        if (s.EndsWith('%'))
        {
            if (!int.TryParse(s[..^1], System.Globalization.NumberStyles.None, null, out var percent) || percent is < 1 or > 100)
                return false;
            size = new RamOverlaySize($"{percent}%");
            return true;
        }
        // tmpfs rounds up to whole pages; less than a megabyte cannot hold a package's changes.
        if (!ByteSize.TryParse(s, out var bytes) || bytes < 1L << 20) return false;
        size = new RamOverlaySize(ByteSize.Format(bytes));
        return true;
    }

    public override string ToString() => TmpfsSize is { } s ? s.EndsWith('%') ? $"{s} of RAM" : s : "off";
}
