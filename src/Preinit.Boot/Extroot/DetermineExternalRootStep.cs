// determine_external_root carries out the extroot plan (ExtrootPlan: which stick, how long to wait,
// fsck or not, where to mount it): wait for the stick (drivers loaded as hardware appears), check it
// with fsck when planned, and mount it: on its target for an overlay, on /mnt for a whole root
// (target /); the steps after it get the mounted stick (MountedStick). A stick that must not be written
// (write-protected, or errors fsck left) is mounted read-only. Anything that keeps the stick from
// being used leaves the volatile root, and says why on the console.
using Preinit.Boot.Devices;
using Preinit.Boot.Fsck;
using Preinit.Boot.Kernel;
using Preinit.Core.Devices;
using Preinit.Core.Extroot;
using Preinit.Core.Fsck;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

/// <param name="Reboot">What fsck status 2 does once (default: restart the machine).</param>
public sealed record DetermineExternalRootStep(ExtrootPlanner Planner, ExtrootState State, BootDrivers Drivers, StickSearch Search,
    Action? Reboot = null) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        // Decided once: when failsafe_wait started the search, it was decided then. The step's log line shows it.
        var plan = Planner.Plan;
        if (plan.Spec is not { } spec) return Volatile(context, plan.NoneBecause);

        var found = Search.Wait(plan, context.Note);
        // The same choice again, now with the sticks' identity records, which DeviceChoice reads only when several are left.
        var choice = DeviceChoice.Choose(spec, found.Seen, DeviceExclusion.Reason,
            new StickPairingReader(Drivers.Loader, context.Note).Read);
        if (choice.Warning is { } warning) context.Note($"warning: {warning}");
        if (choice.Chosen is not { } device)
        {
            foreach (var line in DeviceReport.NothingMatches(spec, found.Seen, found.Elapsed, DeviceExclusion.Reason))
                context.Note(line);
            return Volatile(context, $"no device matches {spec}");
        }
        var path = device.Device.DevicePath;
        context.Note($"{spec} is {path} ({device.Type}), found after {found.Elapsed.TotalMilliseconds:0} ms");
        if (ExtrootFilesystem.Refusal(device.Type, path) is { } refusal) return Volatile(context, refusal);

        var wantFsck = plan.Fsck;
        string? readOnlyBecause = null, readOnlyFix = null;
        if (device.Device.ReadOnly)
        {
            (readOnlyBecause, readOnlyFix) = WriteProtected(path);
            context.Note($"{path} is {readOnlyBecause}: nothing can be saved on it" +
                (wantFsck ? "; fsck cannot repair it like this, so it is not checked" : "") + ". Mounting it read-only");
        }
        else if (wantFsck)
        {
            var outcome = new FsckRunner(context.Note, p => DeviceProber.ProbePath(p).Type).Check(path, device.Type);
            if (outcome.Verdict.Action == FsckAction.Skip)
                return Volatile(context, $"{path}: {outcome.Verdict.Meaning}");
            if (outcome.Verdict.Action == FsckAction.Reboot)
                new FsckRebootOnce(context.Note, Reboot ?? FsckRebootOnce.RebootNow).RebootOrGoOn(path, device.Type);
            if (outcome.Verdict.Action is FsckAction.ReadOnly or FsckAction.Reboot)
            {
                readOnlyBecause = outcome.Verdict.Action == FsckAction.Reboot
                    ? "still asking for a reboot after fsck (it was rebooted once already)"
                    : "left with errors fsck could not repair";
                readOnlyFix = $"Repair it on another machine: fsck {path}";
                context.Note($"{path}: {outcome.Verdict.Meaning}: mounting it read-only, nothing will be written to it. {readOnlyFix}");
            }
        }

        var target = plan.MountPoint;
        var options = plan.Options;
        if (readOnlyBecause is not null) options = options.WithReadOnly();
        FilesystemDriver.Ensure(Drivers.Loader, device.Type, context.Note);
        Directory.CreateDirectory(target);
        try { Libc.Mount(path, target, device.Type, options.Flags, options.Data); }
        catch (SystemCallException e) when (readOnlyBecause is null && e.Errno is Errno.EACCES or Errno.EROFS)
        {
            // Write protection the kernel did not report until the write mount (some card readers).
            (readOnlyBecause, readOnlyFix) = WriteProtected(path);
            context.Note($"{path} refused a read-write mount ({e.Message}): it is {readOnlyBecause}. Mounting it read-only");
            try { Libc.Mount(path, target, device.Type, options.WithReadOnly().Flags, options.Data); }
            catch (SystemCallException again) { return Volatile(context, $"{path} cannot be mounted on {target}: {again.Message}"); }
        }
        catch (SystemCallException e)
        {
            return Volatile(context, $"{path} cannot be mounted on {target}: {e.Message}" +
                (readOnlyBecause is not null ? $". {readOnlyFix}" : ""));
        }
        context.Note($"mounted {path} on {target}{(readOnlyBecause is not null ? " read-only" : "")}");
        try
        {
            if (wantFsck && readOnlyBecause is null) FsckRebootOnce.Clear(target, context.Note);
        }
        catch (Exception e)
        {
            // Nothing after the mount may end the step silently with the stick mounted read-write.
            return Volatile(context, $"{path} was mounted on {target}, but {e.Message}; {StickRelease.Release(target)}");
        }
        State.Mount(new MountedStick(path, spec, device.Uuid, device.Type!, target, plan.Kind, readOnlyBecause, readOnlyFix));
        return StepOutcome.Continue;
    }

    private static (string Because, string Fix) WriteProtected(string path) =>
        ("write-protected (the stick's lock switch is on, or the device is read-only)",
            $"Slide the lock switch of {path} to unlock it (or use a writable stick with the same label) and reboot");

    private static StepOutcome Volatile(IStepContext context, string why)
    {
        PersistenceNotice.RootInRam(context, why);
        return StepOutcome.EndHook;
    }

    public override string ToString() => $"find, check and mount the stick as planned: {Planner.Plan}";
}
