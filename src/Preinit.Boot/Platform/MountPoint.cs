// Whether a path is a mount point, without /proc: its device or mount id (statx) differs from its
// parent's; and whether what is mounted there is read-only (statfs).
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class MountPoint
{
    public static bool Is(string path)
    {
        var full = Path.GetFullPath(path);
        if (full == "/") return true;
        if (!Libc.TryLstat(full, out var self) || self.FileType != Libc.S_IFDIR) return false;
        var parent = Libc.Stat(Path.GetDirectoryName(full)!);
        var haveMountIds = (self.stx_mask & parent.stx_mask & Libc.STATX_MNT_ID) != 0;
        return self.Device != parent.Device || (haveMountIds && self.stx_mnt_id != parent.stx_mnt_id);
    }

    public static bool IsReadOnly(string path) => (Libc.Statfs(path).f_flags & Libc.ST_RDONLY) != 0;
}
