// A stick that will not be used is not left mounted read-write, so nothing writes to it by
// mistake: it is unmounted, or, when something still holds it, made read-only.
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public static class StickRelease
{
    /// <returns>What became of the stick, in words ("it is unmounted").</returns>
    public static string Release(string mountPoint)
    {
        try
        {
            Libc.Umount2(mountPoint, 0);
            return $"it is unmounted from {mountPoint}";
        }
        catch (SystemCallException busy)
        {
            try
            {
                Libc.Mount(null, mountPoint, null, Libc.MS_REMOUNT | Libc.MS_RDONLY, null);
                return $"it could not be unmounted from {mountPoint} ({busy.Message}), so it is read-only now";
            }
            catch (SystemCallException e)
            {
                return $"WARNING: it could be neither unmounted from {mountPoint} ({busy.Message}) nor made read-only ({e.Message})";
            }
        }
    }
}
