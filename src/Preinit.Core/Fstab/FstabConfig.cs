// /etc/config/fstab as typed records: `config global`, `config mount`, `config swap`, with the
// options of today's OpenWrt (fstools block.c) and of the 2011 block-mount scripts the Live CD
// design comes from (enabled_fsck, is_rootfs, fstype).
using Preinit.Core.Devices;

namespace Preinit.Core.Fstab;

/// <summary>
/// The `config global` settings. block.c global_add: each flag is off unless some global section sets
/// it to a non-zero number (several global sections add up); the last delay_root wins.
/// </summary>
public sealed record FstabGlobal(bool AnonSwap, bool AnonMount, bool AutoSwap, bool AutoMount, uint DelayRoot, bool CheckFs)
{
    public static FstabGlobal Defaults { get; } = new(false, false, false, false, 0, false);
}

/// <summary>What a mount does for the root: block.c mount_add sets extroot for target "/" and extroot + overlay for "/overlay".</summary>
public enum ExtrootKind
{
    None,
    /// <summary>`target /`: the device becomes the whole root.</summary>
    Root,
    /// <summary>`target /overlay`, or the 2011 `is_rootfs 1`: the device is the overlay's upper layer.</summary>
    Overlay,
}

/// <param name="Section">The section as `uci show` names it: fstab.@mount[0] or fstab.NAME.</param>
/// <param name="Line">The line of its config command.</param>
/// <param name="Specs">
/// The devices it names, in the order block.c find_block_info tries them: UUID=, then LABEL=, then
/// /dev/NAME (block.c compares only the last component of `device`).
/// </param>
/// <param name="Fstype">2011 block-mount only (default 'auto' there); today's block.c probes the type instead.</param>
/// <param name="EnabledFsck">2011 block-mount: fsck before mounting (default 0); today only `check_fs` in global.</param>
/// <param name="IsRootfs">2011 block-mount: at preinit the mount goes on /overlay whatever its target (default 0).</param>
public sealed record FstabMount(
    string Section,
    int Line,
    string? Target,
    string? Device,
    string? Label,
    string? Uuid,
    string? Fstype,
    string? Options,
    bool Enabled,
    bool EnabledFsck,
    bool IsRootfs,
    bool Autofs,
    IReadOnlyList<DeviceSpec> Specs)
{
    /// <summary>The first device it names (UUID before LABEL before path), as a DeviceSpec.</summary>
    public DeviceSpec Spec => Specs[0];

    /// <summary>The same as text: LABEL=..., UUID=... or /dev/NAME.</summary>
    public string SpecText => Spec.ToString();

    public ExtrootKind Extroot => Target switch
    {
        "/" => ExtrootKind.Root,
        "/overlay" => ExtrootKind.Overlay,
        _ => IsRootfs ? ExtrootKind.Overlay : ExtrootKind.None,
    };
}

/// <param name="Priority">The swapon priority as written (block.c turns a non-zero one into SWAP_FLAG_PREFER | priority).</param>
public sealed record FstabSwap(
    string Section,
    int Line,
    string? Device,
    string? Label,
    string? Uuid,
    int? Priority,
    bool Enabled,
    IReadOnlyList<DeviceSpec> Specs)
{
    public DeviceSpec Spec => Specs[0];

    public string SpecText => Spec.ToString();

    /// <summary>A `device` that is a file, a path outside /dev (/overlay/swapfile): block.c switches it on after the mounts
    /// (handle_swapfiles), when it holds swap space.</summary>
    public string? File => Device is { } d && d.StartsWith('/') && !d.StartsWith("/dev/", StringComparison.Ordinal) ? d : null;
}

/// <summary>Something in the file that does not take effect as written; never dropped silently.</summary>
public sealed record FstabWarning(string File, int Line, string Section, string? Option, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Section}{(Option is null ? "" : "." + Option)}: {Message}";
}

public sealed record FstabConfig(FstabGlobal Global, IReadOnlyList<FstabMount> Mounts, IReadOnlyList<FstabSwap> Swaps,
    IReadOnlyList<FstabWarning> Warnings)
{
    /// <summary>The enabled mounts other than the root's: those `block mount` mounts once the system runs.</summary>
    public IEnumerable<FstabMount> OtherMounts() => Mounts.Where(m => m.Enabled && m.Extroot == ExtrootKind.None);

    /// <summary>
    /// The enabled mount that holds the root: as block.c mount_extroot, a `target /` mount first, then a
    /// `target /overlay` one; failing both, a 2011 `is_rootfs 1` mount. Among several of a kind, the
    /// first in block.c's key order (find_block walks its list, sorted by key), not in the file's.
    /// Null when there is none.
    /// </summary>
    public FstabMount? Extroot => First(m => m.Target == "/") ?? First(m => m.Target == "/overlay") ?? First(m => m.IsRootfs);

    private FstabMount? First(Func<FstabMount, bool> kind)
    {
        FstabMount? first = null;
        foreach (var m in Mounts)
            if (m.Enabled && kind(m) && (first is null || FstabKeys.Compare(m, first) < 0)) first = m;
        return first;
    }
}
