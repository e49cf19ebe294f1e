// Extroot with `target /` (OpenWrt fstools: the stick is mounted on /tmp/extroot/mnt and, when it
// holds /sbin/init, becomes the root with pivot() and the old root at /rom). The stick must hold a
// complete root filesystem; nothing of the RAM root shows through.
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public static class WholeRootPivot
{
    /// <param name="stickMount">Where the stick is mounted (it becomes /).</param>
    /// <param name="initCommand">The program init will be (pi_init_cmd): the stick must have it.</param>
    /// <returns>What the pivot could not move into the new root (empty when all went well).</returns>
    public static PivotResult Run(string stickMount, string initCommand, Action<string> log)
    {
        var init = Path.Combine(stickMount, initCommand.TrimStart('/'));
        // lstat: an absolute symlink (/sbin/init -> /bin/busybox) resolves only once the stick is the root.
        if (!Libc.TryLstat(init, out _))
            throw new InvalidOperationException($"{stickMount} has no {initCommand}, " +
                $"so it is not a root filesystem. Copy a complete root onto it (for example: cp -a /rom/. {stickMount}/ on a running " +
                "system), or use target /overlay to keep only changes");
        var device = Libc.Stat(stickMount).Device;

        PivotResult result;
        try { result = RootPivot.Into(stickMount, "rom", RootPivot.KernelFilesystems); }
        catch (NewRootObstacle o)
        {
            throw new NewRootObstacle(stickMount + o.Path, o.Kind, $"the stick has {o.Kind} at {o.Path}, where its root needs a directory");
        }

        if (Libc.Stat("/").Device != device)
            throw new InvalidOperationException("after pivot_root, / is not the stick " +
                $"(device {Libc.Stat("/").Device:x}, expected {device:x})");
        log($"/ is now the stick's own root filesystem; the RAM root is at {result.OldRoot}");
        return result;
    }
}
