// A stick looked at without changing it: mounted read-only for a moment (ext3 and ext4 with
// noload, so not even a journal replay writes to it), read, unmounted. Used for the identity
// records of several sticks with one label, and by `preinit log --from DEVICE`.
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public static class ReadOnlyStickMount
{
    public static T Read<T>(string device, string type, string mountPoint, Func<string, T> read)
    {
        Directory.CreateDirectory(mountPoint);
        Libc.Mount(device, mountPoint, type, Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC,
            type is "ext3" or "ext4" ? "noload" : null);
        try { return read(mountPoint); }
        finally { Libc.Umount2(mountPoint, 0); }
    }
}
