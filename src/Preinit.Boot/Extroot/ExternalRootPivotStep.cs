// external_root_pivot: the mounted stick becomes the root: the overlay's upper layer (target
// /overlay, is_rootfs) once its identity record says it belongs to this system, or the whole root
// (target /). A stick that must not be written (write-protected, errors fsck left) or that is full
// still gives its saved changes: they are layered read-only over the RAM root, new changes stay in
// RAM, and the console says why and what to do.
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
        if (State.Kind != ExtrootKind.Root) return Overlay(context, device, target);
        if (State.ReadOnly)
        {
            PersistenceNotice.RootInRam(context, $"{device} is {State.ReadOnlyBecause}, and a whole root (target /) must be writable",
                State.ReadOnlyFix);
            return StepOutcome.Continue;
        }
        return WholeRoot(context, device, target);
    }

    private StepOutcome WholeRoot(IStepContext context, string device, string target)
    {
        try { WholeRootPivot.Run(target, Settings.InitCmd, context.Note); }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            PersistenceNotice.RootInRam(context, $"{device} is configured as the whole root (target /), but {e.Message}");
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
        var check = IdentityCheck.Decide(current, StickIdentity.Read(request.StickUpper), StickIdentity.LayerInUse(request.StickUpper),
            AllowedOtherSystem(), device, State.Uuid);
        if (check.Message is { } message) context.Note(message);
        if (!check.Use)
        {
            PersistenceNotice.RootInRam(context, $"{device} is paired with another system");
            Unmount(target, context);
            return StepOutcome.Continue;
        }
        if (State.ReadOnly)
            return SavedChangesInRam(context, device, target, $"{device} is {State.ReadOnlyBecause}", State.ReadOnlyFix!);
        if (Space(target) is { Full: true } low)
            context.Note($"warning: {device} is full ({low}): changes may not be saved; {StickSpace.MakeRoom(target)}");
        try { OverlayPivot.Run(request, context.Note); }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            if (Space(target) is { Full: true } full)
            {
                context.Note($"the overlay root on {device} failed: {e.Message}");
                return SavedChangesInRam(context, device, target, $"{device} is full ({full})", $"To save changes again, {StickSpace.MakeRoom(target)}; then reboot");
            }
            PersistenceNotice.RootInRam(context, $"the overlay root on {device} failed: {e.Message}",
                // overlayfs needs an upper layer with xattrs and d_type: vfat, exfat and ntfs sticks cannot hold one.
                State.Type is "vfat" or "msdos" or "exfat" or "ntfs" or "ntfs3"
                    ? $"A {State.Type} stick cannot hold the overlay; make it ext4 (this erases it, so copy its files first): mkfs.ext4 -L rootfs_data {device}"
                    : null);
            return StepOutcome.Continue;
        }
        context.Note($"changes are saved on {device} ({request.Upper})");
        if (check.Record) Record(context, current, device);
        return StepOutcome.Continue;
    }

    /// <summary>The changes saved on the stick, read-only over the RAM root; new ones go to RAM. Without saved changes the
    /// root simply stays in RAM.</summary>
    private StepOutcome SavedChangesInRam(IStepContext context, string device, string target, string why, string fix)
    {
        var request = new OverlayPivotRequest(target, ChangesInRam: true);
        if (!StickIdentity.LayerInUse(request.StickUpper))
        {
            PersistenceNotice.RootInRam(context, $"{why}, and it holds no saved changes", fix);
            return StepOutcome.Continue;
        }
        try { OverlayPivot.Run(request, context.Note); }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            PersistenceNotice.RootInRam(context, $"{why}, and its saved changes cannot be layered over the RAM root: {e.Message}", fix);
            return StepOutcome.Continue;
        }
        State.ChangesInRam = true;
        PersistenceNotice.SavedChangesInRam(context, why, request.StickUpper, fix);
        return StepOutcome.Continue;
    }

    private static StickSpace? Space(string target)
    {
        try { return StickSpaceMeter.Measure(target); }
        catch (IOException) { return null; }
    }

    /// <summary>Written through the overlay, now the root, so it lands in the upper layer as any change does.</summary>
    private static void Record(IStepContext context, SystemIdentity identity, string device)
    {
        try
        {
            StickIdentity.Write("/", identity);
            context.Note($"recorded {identity} in /{SystemIdentity.RecordPath} on {device}: the stick is paired with this system");
        }
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
