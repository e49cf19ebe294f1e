// The pivot both extroot kinds end with (OpenWrt fstools' pivot()): pivot_root into a mounted new
// root with the old root kept at /rom, then the kernel filesystems (and whatever else is named) move
// from the old root into the new one, so /proc, /sys, /dev and /tmp stay where init expects them.
using Preinit.Boot.Platform;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public static class RootPivot
{
    /// <summary>What moves from the old root into the new one, in this order, when it is mounted.</summary>
    public static readonly IReadOnlyList<string> KernelFilesystems = ["/proc", "/sys", "/dev", "/tmp"];

    /// <returns>The old root's path in the new root ("/rom").</returns>
    public static string Into(string newRoot, string oldRootName, IEnumerable<string> moved)
    {
        Directory.CreateDirectory(Path.Combine(newRoot, oldRootName));
        Libc.Chdir(newRoot);
        Libc.PivotRoot(".", oldRootName);
        Libc.Chdir("/");

        var old = "/" + oldRootName;
        foreach (var mount in moved)
        {
            var from = old + mount;
            if (!MountPoint.Is(from)) continue;
            Directory.CreateDirectory(mount);
            Libc.Mount(from, mount, null, Libc.MS_MOVE, null);
        }
        return old;
    }
}
