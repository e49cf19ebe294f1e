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
    public string? Target { get; set; }
    public ExtrootKind Kind { get; set; }
    public bool ReadOnly { get; set; }
}
