// The extroot pivot (OpenWrt fstools' mount_overlay + fopivot): an overlay whose lower layer is
// the current root and whose upper layer lives on the stick, becomes the root with pivot_root; the
// old root stays reachable at /rom, and the kernel filesystems and the stick's own mount move into
// the new root. Afterwards / must be the overlay, or the pivot counts as failed.
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed record OverlayPivotRequest(string StickMount, string NewRoot = "/mnt", string OldRootName = "rom")
{
    public string Upper => Path.Combine(StickMount, "upper");
    public string Work => Path.Combine(StickMount, "work");

    /// <summary>What moves from the old root into the new one, in this order.</summary>
    public IReadOnlyList<string> Moved => [.. RootPivot.KernelFilesystems, StickMount];
}

public static class OverlayPivot
{
    public static void Run(OverlayPivotRequest r, Action<string> log)
    {
        foreach (var dir in new[] { r.Upper, r.Work })
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir);
                log($"created {dir} (first use of this stick)");
            }
        Directory.CreateDirectory(r.NewRoot);
        Libc.Mount("overlay", r.NewRoot, "overlay", Libc.MS_NOATIME, $"lowerdir=/,upperdir={r.Upper},workdir={r.Work}");

        var old = RootPivot.Into(r.NewRoot, r.OldRootName, r.Moved);

        var rootType = Libc.FilesystemType("/");
        if (rootType != Libc.OVERLAYFS_SUPER_MAGIC)
            throw new InvalidOperationException($"after pivot_root, / is not the overlay (filesystem magic 0x{rootType:x})");
        log($"/ is now the overlay: lower {old} (the RAM root), upper {r.Upper}");
    }
}
