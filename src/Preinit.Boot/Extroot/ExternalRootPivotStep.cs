// external_root_pivot: the mounted stick becomes the overlay's upper layer and the overlay the root.
using Preinit.Core.Fstab;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Extroot;

public sealed record ExternalRootPivotStep(ExtrootState State) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (State.Device is null || State.Target is null) return StepOutcome.Continue;
        if (State.ReadOnly)
        {
            context.Note($"NO PERSISTENT STORAGE: {State.Device} is mounted read-only on {State.Target}; the root stays in RAM.");
            return StepOutcome.Continue;
        }
        if (State.Kind == ExtrootKind.Root)
        {
            context.Note($"NO PERSISTENT STORAGE: target / (the whole root on {State.Device}) is not supported yet; it stays mounted on {State.Target}.");
            return StepOutcome.Continue;
        }
        try { OverlayPivot.Run(new OverlayPivotRequest(State.Target), context.Note); }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // overlayfs needs an upper layer with xattrs and d_type: vfat, exfat and ntfs sticks cannot hold one.
            context.Note($"NO PERSISTENT STORAGE: the overlay root on {State.Device} failed: {e.Message}. The root stays in RAM: " +
                $"changes will not survive a reboot. A stick with vfat/exfat/ntfs cannot hold the overlay; " +
                $"make it ext4 (this erases it): mkfs.ext4 -L rootfs_data {State.Device}");
            return StepOutcome.Continue;
        }
        context.Note($"changes are saved on {State.Device} ({State.Target}/upper)");
        return StepOutcome.Continue;
    }

    public override string ToString() => "pivot an overlay root onto the stick (old root at /rom)";
}
