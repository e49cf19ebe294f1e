// What determine_external_root found, for external_root_pivot (the two functions of the
// preinit_mount_extroot hook, as in the 2011 block-extroot scripts).
using Preinit.Core.Devices;
using Preinit.Core.Fstab;

namespace Preinit.Boot.Extroot;

public sealed class ExtrootState
{
    public string? Device { get; set; }
    /// <summary>How the stick was named (LABEL=, UUID=, /dev/...), and the UUID it has.</summary>
    public DeviceSpec? Spec { get; set; }
    public string? Uuid { get; set; }
    /// <summary>Its filesystem type (ext4, vfat...).</summary>
    public string? Type { get; set; }
    public string? Target { get; set; }
    public ExtrootKind Kind { get; set; }

    /// <summary>Why it is mounted read-only and must not be written (write-protected, fsck left errors), or null.</summary>
    public string? ReadOnlyBecause { get; set; }

    /// <summary>What the user can do about <see cref="ReadOnlyBecause"/>.</summary>
    public string? ReadOnlyFix { get; set; }

    public bool ReadOnly => ReadOnlyBecause is not null;

    /// <summary>external_root_pivot made the stick the root (its overlay, or all of it).</summary>
    public bool Pivoted { get; set; }

    /// <summary>The root is the stick's saved changes over the RAM root, with new changes in RAM: nothing reaches the stick.</summary>
    public bool ChangesInRam { get; set; }
}
