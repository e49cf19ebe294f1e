// determine_external_root: which stick (the extroot entry of /etc/config/fstab, or preinit.extroot),
// wait for it (drivers loaded as hardware appears), check it with fsck when asked, and mount it: on
// its target for an overlay, on /mnt for a whole root (target /). A stick that must not be written
// (write-protected, or errors fsck left) is mounted read-only. Anything that keeps the stick from
// being used leaves the volatile root, and says why on the console.
using Preinit.Boot.Devices;
using Preinit.Boot.Fsck;
using Preinit.Boot.Kernel;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Extroot;
using Preinit.Core.Fsck;
using Preinit.Core.Fstab;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

/// <param name="Reboot">What fsck status 2 does once (default: restart the machine).</param>
public sealed record DetermineExternalRootStep(PreinitSettings Settings, ExtrootState State, BootDrivers Drivers, StickSearch Search,
    string FstabPath = FstabFile.DefaultPath, Action? Reboot = null) : IBootStep
{
    public const string DefaultTarget = "/overlay", WholeRootMount = "/mnt";
    private const uint MaxDelayRootSeconds = 3600;

    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        // Read once: when failsafe_wait started the search, the settings were read then.
        var wanted = Search.Wanted ?? Wanted(Settings, FstabPath, context.Note);
        if (wanted.Spec is not { } spec) return Volatile(context, wanted.NotWanted!);
        var (fstab, entry) = (wanted.Fstab, wanted.Fstab?.Extroot);

        var found = Search.Wait(wanted, context.Note);
        // The same choice again, now with the sticks' identity records, which DeviceChoice reads only when several are left.
        var choice = DeviceChoice.Choose(spec, found.Seen, DeviceExclusion.Reason, new StickPairingReader(Drivers.Loader, context.Note).Read);
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

        var (wantFsck, _) = ExtrootFsck.Decide(Settings.Fsck, entry, fstab?.Global);
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

        var kind = entry?.Extroot ?? ExtrootKind.Overlay;
        var target = kind == ExtrootKind.Root ? WholeRootMount : entry?.Target is { Length: > 0 } t ? t : DefaultTarget;
        var options = MountOptions.Parse(entry?.Options);
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
        State.Device = path;
        State.Spec = spec;
        State.Uuid = device.Uuid;
        State.Type = device.Type;
        State.Target = target;
        State.Kind = kind;
        State.ReadOnlyBecause = readOnlyBecause;
        State.ReadOnlyFix = readOnlyFix;
        return StepOutcome.Continue;
    }

    private static (string Because, string Fix) WriteProtected(string path) =>
        ("write-protected (the stick's lock switch is on, or the device is read-only)",
            $"Slide the lock switch of {path} to unlock it (or use a writable stick with the same label) and reboot");

    /// <summary>Which stick, and how long to wait for it; or why there is none to look for (the root stays in RAM).</summary>
    public static WantedStick Wanted(PreinitSettings settings, string fstabPath, Action<string> note)
    {
        if (settings.Extroot.Equals("off", StringComparison.OrdinalIgnoreCase)) return new WantedStick("preinit.extroot=off");
        var fstab = FstabFile.Read(fstabPath, w => note($"warning: {w}"));
        DeviceSpec spec;
        if (!settings.Extroot.Equals("fstab", StringComparison.OrdinalIgnoreCase))
        {
            if (!DeviceSpec.TryParse(settings.Extroot, out spec, out var error)) return new WantedStick($"preinit.extroot: {error}");
        }
        else if (fstab?.Extroot is not { } entry)
            return new WantedStick($"{fstabPath} has no enabled extroot entry (target /overlay, target /, or is_rootfs 1)");
        else spec = entry.Spec;
        var bound = WaitBound(settings.WaitTimeout, fstab?.Global.DelayRoot ?? 0);
        if (bound > settings.WaitTimeout)
            note($"delay_root in {fstabPath} is longer than preinit.wait: waiting up to {bound.TotalSeconds:0} s");
        return new WantedStick(null) { Spec = spec, Timeout = bound, Fstab = fstab };
    }

    /// <summary>preinit.wait, or fstab's `delay_root` (block.c: seconds to let slow USB storage appear) when that is longer,
    /// up to an hour. Waiting ends the moment the stick appears, so the longer bound costs nothing when it is there.</summary>
    public static TimeSpan WaitBound(TimeSpan preinitWait, uint delayRootSeconds)
    {
        var delayRoot = TimeSpan.FromSeconds(Math.Min(delayRootSeconds, MaxDelayRootSeconds));
        return delayRoot > preinitWait ? delayRoot : preinitWait;
    }

    private static StepOutcome Volatile(IStepContext context, string why)
    {
        PersistenceNotice.RootInRam(context, why);
        return StepOutcome.EndHook;
    }

    public override string ToString() =>
        $"find the extroot stick ({(Settings.Extroot == "fstab" ? FstabPath : "preinit.extroot=" + Settings.Extroot)}), wait up to {Settings.WaitTimeout.TotalSeconds:0} s, fsck {Settings.Fsck.ToString().ToLowerInvariant()}, mount it";
}

/// <summary>The stick the settings name and how long boot waits for it, or why none is wanted.</summary>
public sealed class WantedStick(string? notWanted)
{
    public string? NotWanted { get; } = notWanted;
    public DeviceSpec? Spec { get; init; }
    public TimeSpan Timeout { get; init; }
    public FstabConfig? Fstab { get; init; }
}
