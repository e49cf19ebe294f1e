// The extroot pivot (OpenWrt fstools' mount_overlay + fopivot): an overlay whose lower layer is
// the current root and whose upper layer lives on the stick, becomes the root with pivot_root; the
// old root stays reachable at /rom, and the kernel filesystems and the stick's own mount move into
// the new root. Afterwards / must be the overlay, writable, or the pivot counts as failed.
// With ChangesInRam the stick is only read: its upper layer (the saved changes) is a lower layer
// over the RAM root, and a tmpfs at /tmp/root (OpenWrt's ramoverlay place) takes the new changes.
// Without a stick at all (OpenWrt's ramoverlay) the overlay is the RAM root with that tmpfs over it.
using Preinit.Boot.Platform;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

/// <param name="StickMount">Where the stick is mounted; null for a RAM-only session.</param>
/// <param name="RamSize">The tmpfs size= for changes in RAM (64M, 50%); null for tmpfs's default.</param>
public sealed record OverlayPivotRequest(string? StickMount, string NewRoot = "/mnt", string OldRootName = "rom", bool ChangesInRam = false,
    string? RamSize = null)
{
    public const string RamLayer = "/tmp/root";

    /// <summary>The RAM root with a tmpfs over it: a session whose changes are one tree, kept until the next reboot.</summary>
    public static OverlayPivotRequest RamOnly(string? ramSize) => new(null, ChangesInRam: true, RamSize: ramSize);

    /// <summary>The stick's upper layer: the changes saved on it.</summary>
    public string StickUpper => Path.Combine(StickMount ?? throw new InvalidOperationException("a RAM-only overlay has no stick"), "upper");
    public string Upper => ChangesInRam ? Path.Combine(RamLayer, "upper") : StickUpper;
    public string Work => ChangesInRam ? Path.Combine(RamLayer, "work") : Path.Combine(StickMount!, "work");
    public string LowerDirs => StickMount is null ? "/" : ChangesInRam ? $"{StickUpper}:/" : "/";

    /// <summary>What moves from the old root into the new one, in this order.</summary>
    public IReadOnlyList<string> Moved => StickMount is null ? RootPivot.KernelFilesystems : [.. RootPivot.KernelFilesystems, StickMount];
}

public static class OverlayPivot
{
    /// <returns>What the pivot could not move into the new root (empty when all went well).</returns>
    /// <exception cref="IOException">Nothing was pivoted: the overlay could not be made, or the stick has something in the
    /// way (<see cref="NewRootObstacle"/>); nothing is left mounted.</exception>
    public static PivotResult Run(OverlayPivotRequest r, Action<string> log)
    {
        if (r.ChangesInRam)
        {
            Directory.CreateDirectory(OverlayPivotRequest.RamLayer);
            Libc.Mount("tmpfs", OverlayPivotRequest.RamLayer, "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV,
                r.RamSize is { } size ? $"mode=0755,size={size}" : "mode=0755");
        }
        var mounted = false;
        PivotResult result;
        try
        {
            MountOverlay(r, log);
            mounted = true;
            result = RootPivot.Into(r.NewRoot, r.OldRootName, r.Moved);
        }
        catch (Exception e)
        {
            if (mounted) Detach(r.NewRoot);
            if (r.ChangesInRam) Detach(OverlayPivotRequest.RamLayer);
            // Only the stick's upper layer can put something other than a directory into the merged view.
            if (e is NewRootObstacle { Path: var place } o && mounted && r.StickMount is not null)
                throw new NewRootObstacle(r.StickUpper + place, o.Kind,
                    $"the stick has {o.Kind} at {r.StickUpper}{place}, where the overlay needs a directory for {place}");
            throw;
        }

        var rootType = Libc.FilesystemType("/");
        if (rootType != Libc.OVERLAYFS_SUPER_MAGIC)
            throw new InvalidOperationException($"after pivot_root, / is not the overlay (filesystem magic 0x{rootType:x})");
        var old = result.OldRoot;
        log(r.StickMount is null ? $"/ is now the overlay: lower {old} (the RAM root), upper {r.Upper} (RAM, " +
            $"{r.RamSize ?? "tmpfs default"})"
            : r.ChangesInRam ? $"/ is now the overlay: lower {r.StickUpper} (read-only) over {old} (the RAM root), upper {r.Upper} (RAM)"
            : $"/ is now the overlay: lower {old} (the RAM root), upper {r.Upper}");
        return result;
    }

    private static void Detach(string mountPoint)
    {
        try { Libc.Umount2(mountPoint, Libc.MNT_DETACH); }
        catch (SystemCallException) { }
    }

    private static void MountOverlay(OverlayPivotRequest r, Action<string> log)
    {
        foreach (var dir in new[] { r.Upper, r.Work })
        {
            if (Libc.TryLstat(dir, out var found))
            {
                // A symlink here would put the upper layer wherever it points, the RAM root included.
                if (found.FileType != Libc.S_IFDIR)
                {
                    var kind = FileKind.Describe(found.stx_mode);
                    throw new NewRootObstacle(dir, kind, $"{dir} is {kind}, not a directory, so it cannot hold the overlay's layer");
                }
                continue;
            }
            Directory.CreateDirectory(dir);
            if (!r.ChangesInRam) log($"created {dir} (first use of this stick)");
        }
        Directory.CreateDirectory(r.NewRoot);
        Libc.Mount("overlay", r.NewRoot, "overlay", Libc.MS_NOATIME, $"lowerdir={r.LowerDirs},upperdir={r.Upper},workdir={r.Work}");
        if (MountPoint.IsReadOnly(r.NewRoot))
        {
            // The kernel only says so in its log ("failed to create directory .../work/work (errno: 28); mounting read-only").
            Libc.Umount2(r.NewRoot, 0);
            throw new IOException($"overlayfs mounted the new root read-only: no room on the stick for its work directory {r.Work}");
        }
    }
}
