// The extroot decision, made once from the settings and the parsed fstab, before any device is
// looked at: which stick, how long to wait for it, whether fsck checks it and why, whether it becomes
// the overlay's upper layer or the whole root, where it is mounted and with which options; or why
// there is none and the root stays in RAM. Boot carries it out, `preinit extroot` and `preinit plan`
// print it, and the boot log has the same lines.
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Fsck;
using Preinit.Core.Fstab;

namespace Preinit.Core.Extroot;

public sealed class ExtrootPlan
{
    /// <summary>Where an overlay stick is mounted without a target of its own, and where a whole root (target /) is
    /// mounted until it becomes the root.</summary>
    public const string DefaultTarget = "/overlay", WholeRootMount = "/mnt";
    private const uint MaxDelayRootSeconds = 3600;

    /// <summary>The stick, or null when there is none to look for (see <see cref="NoneBecause"/>).</summary>
    public DeviceSpec? Spec { get; private init; }
    public string NoneBecause { get; private init; } = "";

    /// <summary>Who named the stick, in words: the fstab section and line, or the kernel command line.</summary>
    public string NamedBy { get; private init; } = "";

    /// <summary>fstab's extroot entry, which gives the kind, target, options and enabled_fsck (also for a stick named on
    /// the command line), or null.</summary>
    public FstabMount? Entry { get; private init; }
    public ExtrootKind Kind { get; private init; }
    public string MountPoint { get; private init; } = DefaultTarget;
    public MountOptions Options { get; private init; }
    public bool Fsck { get; private init; }
    public string FsckBecause { get; private init; } = "";
    public TimeSpan Wait { get; private init; }
    public string WaitBecause { get; private init; } = "";

    public static ExtrootPlan Decide(ExtrootSetting setting, FsckMode fsck, TimeSpan preinitWait, FstabConfig? fstab, string fstabPath)
    {
        if (setting.Source == ExtrootSource.Off) return None($"{SettingCatalog.CommandLinePrefix}{SettingCatalog.Extroot}=off");
        var entry = fstab?.Extroot;
        string namedBy;
        DeviceSpec spec;
        if (setting.Device is { } device)
            (spec, namedBy) = (device, $"{SettingCatalog.CommandLinePrefix}{SettingCatalog.Extroot} on the kernel command line" +
                (entry is null ? "" : $", with the target and options of {Where(entry, fstabPath)}"));
        else if (entry is null)
            return None($"{fstabPath} has no enabled extroot entry (target /overlay, target /, or is_rootfs 1)");
        else (spec, namedBy) = (entry.Spec, Where(entry, fstabPath));

        var kind = entry?.Extroot ?? ExtrootKind.Overlay;
        var (check, checkBecause) = ExtrootFsck.Decide(fsck, entry, fstab?.Global);
        var delayRoot = TimeSpan.FromSeconds(Math.Min(fstab?.Global.DelayRoot ?? 0, MaxDelayRootSeconds));
        return new ExtrootPlan
        {
            Spec = spec,
            NamedBy = namedBy,
            Entry = entry,
            Kind = kind,
            MountPoint = kind == ExtrootKind.Root ? WholeRootMount : entry?.Target is { Length: > 0 } target ? target : DefaultTarget,
            Options = MountOptions.Parse(entry?.Options),
            Fsck = check,
            FsckBecause = checkBecause,
            // block.c's delay_root: seconds to let slow USB storage appear. Waiting ends the moment the stick is there,
            // so the longer bound costs nothing when it is.
            Wait = delayRoot > preinitWait ? delayRoot : preinitWait,
            WaitBecause = delayRoot > preinitWait
                ? $"delay_root in {fstabPath}, longer than {SettingCatalog.CommandLinePrefix}{SettingCatalog.Wait}"
                : $"{SettingCatalog.CommandLinePrefix}{SettingCatalog.Wait}",
        };
    }

    private static ExtrootPlan None(string because) => new() { NoneBecause = because };

    private static string Where(FstabMount entry, string fstabPath) => $"{entry.Section} ({fstabPath}:{entry.Line})";

    /// <summary>The plan as lines: `extroot: ...`, then `fsck: ...` and `wait: ...` when there is a stick.</summary>
    public IReadOnlyList<string> Describe() => Spec is null
        ? [$"extroot: none: {NoneBecause}"]
        : [
            $"extroot: {Spec} from {NamedBy}: " +
                $"{(Kind == ExtrootKind.Root ? "the whole root, mounted first on" : "the overlay's upper layer, mounted on")} " +
                $"{MountPoint}{(Entry?.Options is { Length: > 0 } options ? $" with {options}" : "")}",
            $"fsck: {(Fsck ? "yes" : "no")} ({FsckBecause})",
            $"wait: up to {Wait.TotalSeconds:0} s ({WaitBecause})",
        ];

    public override string ToString() => string.Join("; ", Describe());
}
