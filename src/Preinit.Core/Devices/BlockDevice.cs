// A block device as sysfs describes it (/sys/class/block/NAME), plus what probing found on it.
namespace Preinit.Core.Devices;

public sealed record BlockDevice(
    string Name,
    uint Major,
    uint Minor,
    long SizeBytes,
    bool Removable,
    bool ReadOnly,
    string? Parent,
    int? PartitionNumber,
    string? LoopBackingFile)
{
    public string DevicePath => "/dev/" + Name;
    public bool IsLoop => Name.StartsWith("loop", StringComparison.Ordinal);
}

/// <summary>A device and its identity as blkid names it: TYPE, LABEL, UUID, VERSION of the filesystem, PARTUUID and
/// PARTLABEL of a partition, PTTYPE and PTUUID of a partition table on the device itself. <see cref="InsideImageOf"/>
/// names the disk when the partition lies inside the iso9660 filesystem written at its start (a Live image written
/// to a stick: its EFI partition), which makes it part of the boot medium.</summary>
public sealed record ProbedDevice(BlockDevice Device, string? Type, string? Label, string? Uuid, string? PartUuid,
    string? PartLabel, string? Version = null, string? PtType = null, string? PtUuid = null, string? ProbeError = null,
    Probing.ExtBackup? DamagedExt = null, string? InsideImageOf = null)
{
    /// <summary>The device as its ext backup superblock describes it, for matching a spec (null without one).</summary>
    public ProbedDevice? AsBackupDescribes =>
        DamagedExt is { } b ? this with { Type = b.Filesystem.Type, Label = b.Filesystem.Label, Uuid = b.Filesystem.Uuid,
            DamagedExt = null } : null;
}
