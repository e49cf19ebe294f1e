// determine_external_root: which stick (the extroot entry of /etc/config/fstab, or preinit.extroot),
// wait for it (drivers loaded as hardware appears), check it with fsck when asked, and mount it on
// its target. Anything that keeps the stick from being used leaves the volatile root, and says why
// on the console.
using Preinit.Boot.Devices;
using Preinit.Boot.Fsck;
using Preinit.Boot.Kernel;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Fsck;
using Preinit.Core.Fstab;
using Preinit.Core.Hooks;
using Preinit.Core.Uci;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed record DetermineExternalRootStep(PreinitSettings Settings, ExtrootState State, string FstabPath = "/etc/config/fstab") : IBootStep
{
    public const string DefaultTarget = "/overlay";
    private const long MaxFstabBytes = 1 << 20;

    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (Settings.Extroot.Equals("off", StringComparison.OrdinalIgnoreCase))
            return Volatile(context, "preinit.extroot=off");

        var entry = ReadFstab(context);
        DeviceSpec spec;
        if (!Settings.Extroot.Equals("fstab", StringComparison.OrdinalIgnoreCase))
        {
            if (!DeviceSpec.TryParse(Settings.Extroot, out spec, out var error))
                return Volatile(context, $"preinit.extroot: {error}");
        }
        else if (entry is null)
            return Volatile(context, $"{FstabPath} has no enabled extroot entry (target /overlay, or is_rootfs 1)");
        else spec = entry.Spec;

        var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), context.Note);
        var found = new DeviceWaiter(new Coldplug(loader, context.Note), context.Note).Wait(spec, Settings.WaitTimeout);
        if (found.Choice.Warning is { } warning) context.Note($"warning: {warning}");
        if (found.Device is not { } device)
        {
            foreach (var line in DeviceReport.NothingMatches(spec, found.Seen, found.Elapsed, DeviceExclusion.Reason))
                context.Note(line);
            return Volatile(context, $"no device matches {spec}");
        }
        context.Note($"{spec} is {device.Device.DevicePath} ({device.Type}), found after {found.Elapsed.TotalMilliseconds:0} ms");

        var readOnly = false;
        if (Settings.Fsck == FsckMode.Force || (Settings.Fsck == FsckMode.Auto && entry is { EnabledFsck: true }))
        {
            var outcome = new FsckRunner(context.Note, p => DeviceProber.ProbePath(p).Type).Check(device.Device.DevicePath, device.Type);
            switch (outcome.Verdict.Action)
            {
                case FsckAction.Skip:
                    return Volatile(context, $"{device.Device.DevicePath}: {outcome.Verdict.Meaning}");
                case FsckAction.ReadOnly or FsckAction.Reboot:
                    readOnly = true;
                    context.Note($"{device.Device.DevicePath}: {outcome.Verdict.Meaning}: mounting it read-only, nothing will be written to it. " +
                        $"Repair it on another machine: fsck {device.Device.DevicePath}");
                    break;
            }
        }

        var target = entry?.Target is { Length: > 0 } t && t != "/" ? t : DefaultTarget;
        var options = MountOptions.Parse(entry?.Options);
        if (readOnly) options = options.WithReadOnly();
        LoadFilesystem(loader, device.Type, context);
        Directory.CreateDirectory(target);
        try { Libc.Mount(device.Device.DevicePath, target, device.Type, options.Flags, options.Data); }
        catch (SystemCallException e)
        {
            return Volatile(context, $"{device.Device.DevicePath} cannot be mounted on {target}: {e.Message}" +
                (readOnly ? $"; repair it on another machine: fsck {device.Device.DevicePath}" : ""));
        }
        context.Note($"mounted {device.Device.DevicePath} on {target}{(readOnly ? " read-only" : "")}");
        State.Device = device.Device.DevicePath;
        State.Target = target;
        State.Kind = entry?.Extroot ?? ExtrootKind.Overlay;
        State.ReadOnly = readOnly;
        return StepOutcome.Continue;
    }

    private FstabMount? ReadFstab(IStepContext context)
    {
        if (!File.Exists(FstabPath)) return null;
        if (new FileInfo(FstabPath).Length > MaxFstabBytes)
        {
            context.Note($"warning: {FstabPath} is larger than {MaxFstabBytes >> 10} KiB: not read (is it really a UCI fstab?)");
            return null;
        }
        var parsed = UciParser.Parse(File.ReadAllBytes(FstabPath), "fstab", FstabPath);
        foreach (var error in parsed.Problems) context.Note($"warning: {error}");
        var config = FstabReader.Read(parsed.Package, FstabPath);
        foreach (var w in config.Warnings) context.Note($"warning: {w}");
        return config.Extroot;
    }

    /// <summary>The filesystem's driver, by the alias the kernel itself would ask for (fs-vfat, fs-ext4...).</summary>
    private static void LoadFilesystem(ModuleLoader loader, string? type, IStepContext context)
    {
        if (type is null || File.ReadAllText("/proc/filesystems").Split('\n').Any(l => l.EndsWith("\t" + type))) return;
        try { loader.Load("fs-" + type); }
        catch (Exception e) when (e is IOException or KeyNotFoundException) { context.Note($"fs-{type}: {e.Message}"); }
    }

    private static StepOutcome Volatile(IStepContext context, string why)
    {
        context.Note($"NO PERSISTENT STORAGE: {why}. The root stays in RAM: changes will not survive a reboot.");
        return StepOutcome.EndHook;
    }

    public override string ToString() =>
        $"find the extroot stick ({(Settings.Extroot == "fstab" ? FstabPath : "preinit.extroot=" + Settings.Extroot)}), wait up to {Settings.WaitTimeout.TotalSeconds:0} s, fsck {Settings.Fsck.ToString().ToLowerInvariant()}, mount it";
}
