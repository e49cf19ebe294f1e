// external_root_pivot: the mounted stick becomes the root: the overlay's upper layer (target
// /overlay, is_rootfs) once its identity record says it belongs to this system, or the whole root
// (target /).
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Extroot;
using Preinit.Core.Fstab;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed record ExternalRootPivotStep(PreinitSettings Settings, ExtrootState State) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (State.Device is not { } device || State.Target is not { } target) return StepOutcome.Continue;
        if (State.ReadOnly)
        {
            context.Note($"NO PERSISTENT STORAGE: {device} is mounted read-only on {target}; the root stays in RAM.");
            return StepOutcome.Continue;
        }
        return State.Kind == ExtrootKind.Root ? WholeRoot(context, device, target) : Overlay(context, device, target);
    }

    private StepOutcome WholeRoot(IStepContext context, string device, string target)
    {
        try { WholeRootPivot.Run(target, Settings.InitCmd, context.Note); }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            context.Note(DetermineExternalRootStep.VolatileNotice($"{device} is configured as the whole root (target /), but {e.Message}"));
            Unmount(target, context);
            return StepOutcome.Continue;
        }
        context.Note($"the root is {device}: everything is saved on it");
        return StepOutcome.Continue;
    }

    private StepOutcome Overlay(IStepContext context, string device, string target)
    {
        var request = new OverlayPivotRequest(target);
        // Read from the RAM root before the pivot: afterwards the stick's own /etc could shadow it.
        var current = StickIdentity.Current();
        var check = IdentityCheck.Decide(current, StickIdentity.Read(request.Upper), StickIdentity.LayerInUse(request.Upper),
            AllowedOtherSystem(), device, State.Uuid);
        if (check.Message is { } message) context.Note(message);
        if (!check.Use)
        {
            context.Note(DetermineExternalRootStep.VolatileNotice($"{device} is paired with another system"));
            Unmount(target, context);
            return StepOutcome.Continue;
        }
        try { OverlayPivot.Run(request, context.Note); }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // overlayfs needs an upper layer with xattrs and d_type: vfat, exfat and ntfs sticks cannot hold one.
            context.Note(DetermineExternalRootStep.VolatileNotice($"the overlay root on {device} failed: {e.Message}") +
                $" A stick with vfat/exfat/ntfs cannot hold the overlay; make it ext4 (this erases it): mkfs.ext4 -L rootfs_data {device}");
            return StepOutcome.Continue;
        }
        context.Note($"changes are saved on {device} ({request.Upper})");
        if (check.Record) Record(context, current);
        return StepOutcome.Continue;
    }

    /// <summary>Written through the overlay, now the root, so it lands in the upper layer as any change does.</summary>
    private static void Record(IStepContext context, SystemIdentity identity)
    {
        try { StickIdentity.Write("/", identity); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Note($"warning: could not record which system the stick belongs to (/{SystemIdentity.RecordPath}): {e.Message}. " +
                "Is the stick full? Other systems will not be kept from using it");
        }
    }

    /// <summary>Why a stick recorded for another system may still be used, or null.</summary>
    private string? AllowedOtherSystem() =>
        Settings.ExtrootForce ? "preinit.extroot.force=1"
        : State.Spec is { Kind: SpecKind.Uuid } spec ? $"it is named by its UUID ({spec})"
        : null;

    /// <summary>A stick that is not used is not left mounted, so nothing writes to it by mistake.</summary>
    private static void Unmount(string target, IStepContext context)
    {
        try { Libc.Umount2(target, 0); }
        catch (SystemCallException e) { context.Note($"warning: {e.Message}"); }
    }

    public override string ToString() => "make the stick the root: an overlay on it (old root at /rom), or all of it for target /";
}
