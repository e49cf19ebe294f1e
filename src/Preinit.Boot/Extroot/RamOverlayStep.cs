// ramoverlay (OpenWrt's, in preinit_mount_root): when no stick became the root, / becomes an overlay
// of the RAM root with its changes on a tmpfs, so a RAM-only session has the room of a tmpfs (half
// of RAM by default) rather than the image's headroom, and its changes are one tree that `preinit
// persist` can save onto a stick later. Nothing to do when the root is an overlay already (the
// stick's, or the one the rootfs's own mount_root made), the stick is the whole root, or the root
// is not preinit's RAM root at all (a disk the system was installed on keeps its changes itself).
using Preinit.Boot.Devices;
using Preinit.Boot.Platform;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed class RamOverlayStep(PreinitSettings settings, ExtrootState extroot) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (extroot.Pivoted || Libc.FilesystemType("/") == Libc.OVERLAYFS_SUPER_MAGIC) return StepOutcome.Continue;
        if (NotTheRamRoot() is { } root)
        {
            context.Note($"/ is {root}, not preinit's RAM root image: it keeps its changes itself and is left as it is");
            return StepOutcome.Continue;
        }
        if (settings.RamOverlay.Off)
        {
            context.Note($"{SettingCatalog.CommandLinePrefix}{SettingCatalog.RamOverlay}=off: changes go to the RAM root image itself, " +
                "within its headroom, and cannot be saved with preinit persist");
            return StepOutcome.Continue;
        }
        try
        {
            foreach (var problem in OverlayPivot.Run(OverlayPivotRequest.RamOnly(settings.RamOverlay.TmpfsSize), context.Note).Problems)
                context.Note($"WARNING: {problem}");
            PersistenceNotice.CanBeSaved(context);
        }
        catch (Exception e)
        {
            context.Note($"warning: the RAM overlay could not be made ({e.Message}); " +
                "changes go to the RAM root image itself, within its headroom");
        }
        return StepOutcome.Continue;
    }

    /// <summary>What the root is mounted from when that is not the loop device over stage 1's image, else null.</summary>
    private static string? NotTheRamRoot()
    {
        if (MountTable.Root() is not { } root) return "not in the mount table";
        var backing = root.Source.StartsWith("/dev/loop", StringComparison.Ordinal)
            ? SysfsBlockDevices.Read($"/sys/class/block/{root.Source["/dev/".Length..]}")?.LoopBackingFile : null;
        return backing?.Contains(DeviceExclusion.RootImageName, StringComparison.Ordinal) == true ? null
            : $"{root.Source} ({root.Type}{(backing is null ? "" : $", a loop device over {backing}")})";
    }

    public override string ToString() =>
        $"without a stick as the root: / becomes an overlay with its changes on a tmpfs ({OverlayPivotRequest.RamLayer}; " +
            $"preinit.{SettingCatalog.RamOverlay})";
}
