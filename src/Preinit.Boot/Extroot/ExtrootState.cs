// What extroot's two steps leave for the steps after them (restore_config, ramoverlay, mount_root,
// the boot record), each part written once: the stick determine_external_root mounted, then what
// external_root_pivot made of it.
using Preinit.Core.Devices;
using Preinit.Core.Fstab;

namespace Preinit.Boot.Extroot;

/// <summary>The stick determine_external_root mounted, as it left it.</summary>
/// <param name="spec">How the stick was named (LABEL=, UUID=, /dev/...).</param>
/// <param name="type">Its filesystem type (ext4, vfat...).</param>
/// <param name="target">Where it is mounted.</param>
/// <param name="readOnlyBecause">Why it is mounted read-only and must not be written (write-protected, fsck left errors), or null.</param>
/// <param name="readOnlyFix">What the user can do about <paramref name="readOnlyBecause"/>.</param>
public sealed class MountedStick(string device, DeviceSpec spec, string? uuid, string type, string target, ExtrootKind kind,
    string? readOnlyBecause = null, string? readOnlyFix = null)
{
    public string Device => device;
    public DeviceSpec Spec => spec;
    public string? Uuid => uuid;
    public string Type => type;
    public string Target => target;
    public ExtrootKind Kind => kind;
    public string? ReadOnlyBecause => readOnlyBecause;
    public string? ReadOnlyFix => readOnlyFix;
    public bool ReadOnly => readOnlyBecause is not null;
}

/// <summary>What external_root_pivot made of the mounted stick.</summary>
public enum StickUse
{
    /// <summary>Nothing: it was released, or there was none.</summary>
    None,
    /// <summary>It is the root: the overlay's upper layer, or all of it (target /).</summary>
    Root,
    /// <summary>Its saved changes lie read-only over the RAM root, with new changes in RAM: nothing reaches the stick.</summary>
    SavedChangesInRam,
}

public sealed class ExtrootState
{
    public MountedStick? Mounted { get; private set; }
    public StickUse Use { get; private set; }

    /// <summary>external_root_pivot made the stick the root (its overlay, or all of it), changes saved there or not.</summary>
    public bool Pivoted => Use != StickUse.None;

    public void Mount(MountedStick stick) =>
        Mounted = Mounted is null ? stick : throw new InvalidOperationException($"a stick is mounted already ({Mounted.Device})");

    public void Used(StickUse use) =>
        Use = Mounted is not null && Use == StickUse.None ? use
            : throw new InvalidOperationException("no mounted stick to use, or it is in use already");
}
