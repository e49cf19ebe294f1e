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

namespace Preinit.Boot.Extroot;

public sealed record ExternalRootPivotStep(PreinitSettings Settings, ExtrootState State) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (State.Mounted is not { } stick) return StepOutcome.Continue;
        var (device, target) = (stick.Device, stick.Target);
        try
        {
            if (stick.Kind != ExtrootKind.Root) return Overlay(context, stick);
            if (stick.ReadOnly)
            {
                NotUsed(context, target, $"{device} is {stick.ReadOnlyBecause}, and a whole root (target /) must be writable",
                    stick.ReadOnlyFix);
                return StepOutcome.Continue;
            }
            return WholeRoot(context, device, target);
        }
        catch (Exception e)
        {
            // Whatever was not foreseen happened before the root changed (the pivots report their own failures).
            NotUsed(context, target, $"preparing {device} as the root failed: {e.Message}");
            return StepOutcome.Continue;
        }
    }

    /// <summary>The stick is not used: it is released (see <see cref="StickRelease"/>) and the console says so.</summary>
    private static void NotUsed(IStepContext context, string target, string why, string? fix = null) =>
        PersistenceNotice.RootInRam(context, $"{why}; {StickRelease.Release(target)}", fix);

    /// <summary>What to do about something on the stick that stands where a directory must be.</summary>
    private static string? ObstacleFix(Exception e, string device, string target) =>
        e is NewRootObstacle { Path: var path } && path.StartsWith(target + "/", StringComparison.Ordinal)
            ? $"Remove it from the stick, then reboot: mount {device} /mnt && rm /mnt{path[target.Length..]} && umount /mnt"
            : null;

    private static void Report(IStepContext context, PivotResult result)
    {
        foreach (var problem in result.Problems) context.Note($"WARNING: {problem}");
    }

    private StepOutcome WholeRoot(IStepContext context, string device, string target)
    {
        try { Report(context, WholeRootPivot.Run(target, Settings.InitCmd, context.Note)); }
        catch (Exception e)
        {
            NotUsed(context, target, $"{device} is configured as the whole root (target /), but {e.Message}",
                ObstacleFix(e, device, target));
            return StepOutcome.Continue;
        }
        State.Used(StickUse.Root);
        context.Note($"the root is {device}: everything is saved on it");
        return StepOutcome.Continue;
    }

    private StepOutcome Overlay(IStepContext context, MountedStick stick)
    {
        var (device, target) = (stick.Device, stick.Target);
        var request = new OverlayPivotRequest(target);
        // Read from the RAM root before the pivot: afterwards the stick's own /etc could shadow it.
        var current = StickIdentity.Current();
        var check = IdentityCheck.Decide(current, StickIdentity.Read(request.StickUpper), StickIdentity.LayerInUse(request.StickUpper),
            AllowedOtherSystem(stick.Spec), device, stick.Uuid);
        if (check.Message is { } message) context.Note(message);
        if (!check.Use)
        {
            NotUsed(context, target, $"{device} is paired with another system");
            return StepOutcome.Continue;
        }
        if (stick.ReadOnly)
            return SavedChangesInRam(context, device, target, $"{device} is {stick.ReadOnlyBecause}", stick.ReadOnlyFix!);
        if (Space(target) is { Full: true } low)
            context.Note($"warning: {device} is full ({low}): changes may not be saved; {StickSpace.MakeRoom(target)}");
        try { Report(context, OverlayPivot.Run(request, context.Note)); }
        catch (Exception e)
        {
            if (Space(target) is { Full: true } full)
            {
                context.Note($"the overlay root on {device} failed: {e.Message}");
                return SavedChangesInRam(context, device, target, $"{device} is full ({full})",
                    $"To save changes again, {StickSpace.MakeRoom(target)}; then reboot");
            }
            NotUsed(context, target, $"the overlay root on {device} failed: {e.Message}",
                // overlayfs needs an upper layer with xattrs and d_type; other filesystems were refused before mounting.
                ExtrootFilesystem.LacksOverlaySupport(stick.Type)
                    ? $"A {stick.Type} stick cannot hold the overlay; {ExtrootFilesystem.Reformat(device)}"
                    : ObstacleFix(e, device, target));
            return StepOutcome.Continue;
        }
        State.Used(StickUse.Root);
        context.Note($"changes are saved on {device} ({request.Upper})");
        if (check.Record) Record(context, current with { StickUuid = stick.Uuid }, device);
        return StepOutcome.Continue;
    }

    /// <summary>The changes saved on the stick, read-only over the RAM root; new ones go to RAM. Without saved changes the
    /// root simply stays in RAM.</summary>
    private StepOutcome SavedChangesInRam(IStepContext context, string device, string target, string why, string fix)
    {
        var request = new OverlayPivotRequest(target, ChangesInRam: true, RamSize: Settings.RamOverlay.TmpfsSize);
        if (!StickIdentity.LayerInUse(request.StickUpper))
        {
            NotUsed(context, target, $"{why}, and it holds no saved changes", fix);
            return StepOutcome.Continue;
        }
        try { Report(context, OverlayPivot.Run(request, context.Note)); }
        catch (Exception e)
        {
            NotUsed(context, target, $"{why}, and its saved changes cannot be layered over the RAM root: {e.Message}",
                ObstacleFix(e, device, target) is { } remove ? $"{remove}. {fix}" : fix);
            return StepOutcome.Continue;
        }
        State.Used(StickUse.SavedChangesInRam);
        PersistenceNotice.SavedChangesInRam(context, why, request.StickUpper, fix);
        return StepOutcome.Continue;
    }

    private static StickSpace? Space(string target)
    {
        try { return StickSpaceMeter.Measure(target); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Written through the overlay, now the root, so it lands in the upper layer as any change does.</summary>
    private static void Record(IStepContext context, SystemIdentity identity, string device)
    {
        try
        {
            StickIdentity.Write("/", identity);
            context.Note($"recorded {identity} in /{SystemIdentity.RecordPath} on {device}: the stick is paired with this system");
        }
        catch (Exception e)
        {
            context.Note($"warning: could not record which system the stick belongs to (/{SystemIdentity.RecordPath}): {e.Message}. " +
                "Is the stick full? Other systems will not be kept from using it");
        }
    }

    /// <summary>Why a stick recorded for another system may still be used, or null.</summary>
    private string? AllowedOtherSystem(DeviceSpec spec) =>
        Settings.ExtrootForce ? "preinit.extroot.force=1"
        : spec.Kind == SpecKind.Uuid ? $"it is named by its UUID ({spec})"
        : null;

    public override string ToString() => "make the stick the root: an overlay on it (old root at /rom), or all of it for target /";
}
