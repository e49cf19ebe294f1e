// How overlayfs records a change in its upper layer besides plain files: a deletion is a whiteout
// (a character device 0:0 with the deleted name), and a directory that replaced one of the lower
// layers (removed, then made again) is opaque (trusted.overlay.opaque=y): nothing below shows through.
using Preinit.Interop;

namespace Preinit.Boot.Persist;

public static class OverlayRecords
{
    public const string OpaqueAttribute = "trusted.overlay.opaque";

    public static bool IsWhiteout(in statx stat) => stat.FileType == Libc.S_IFCHR && stat.RawDevice == 0;

    public static bool IsOpaque(string directory) => Libc.GetXattr(directory, OpaqueAttribute) is [(byte)'y', ..];
}
