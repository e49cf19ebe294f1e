// A stick looked at: mounted read-only for a moment, read, unmounted. Used for the identity records
// of several sticks with one label, and by `preinit log --from DEVICE`.
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public static class ReadOnlyStickMount
{
    /// <param name="replayJournal">False: ext3 and ext4 with noload, so not even a journal replay writes to the stick (boot
    /// choosing among sticks). True: the kernel replays a journal a power cut left, as any mount does, so files written
    /// last (the newest boot log) are there; without it they may still be only in the journal.</param>
    public static T Read<T>(string device, string type, string mountPoint, Func<string, T> read, bool replayJournal = false)
    {
        Directory.CreateDirectory(mountPoint);
        Libc.Mount(device, mountPoint, type, Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC,
            !replayJournal && type is "ext3" or "ext4" ? "noload" : null);
        try { return read(mountPoint); }
        finally { Libc.Umount2(mountPoint, 0); }
    }
}
