// What is on a stick (or an image file) as `preinit stick` sees it: the size, the MBR partitions with
// the filesystem on each, the Live image at its start (an iso9660 filesystem from byte 0, as a hybrid
// ISO written raw) and the rootfs_data partition that keeps the saved changes.
using Preinit.Core.Probing;

namespace Preinit.Core.Stick;

/// <summary>One primary MBR partition and what probing found in it.</summary>
public sealed class DiskPartition(int slot, byte partitionType, long startBytes, long sizeBytes, string? type, string? label)
{
    public int Slot { get; } = slot;
    public byte PartitionType { get; } = partitionType;
    public long StartBytes { get; } = startBytes;
    public long SizeBytes { get; } = sizeBytes;
    public string? Type { get; } = type;
    public string? Label { get; } = label;
    public long EndBytes => StartBytes + SizeBytes;
}

/// <summary>A disk's contents. <see cref="LiveImageBytes"/> is the iso9660 filesystem's extent when the disk starts
/// with one; <see cref="Mbr"/> is sector 0 when it holds an MBR partition table (not a protective one).</summary>
public sealed class DiskContents(long sizeBytes, byte[]? mbr, IReadOnlyList<DiskPartition> partitions, long? liveImageBytes)
{
    public long SizeBytes { get; } = sizeBytes;
    public byte[]? Mbr { get; } = mbr;
    public IReadOnlyList<DiskPartition> Partitions { get; } = partitions;
    public long? LiveImageBytes { get; } = liveImageBytes;

    public const string DataLabel = "rootfs_data";

    /// <summary>The partition that keeps the saved changes: ext2/3/4 labelled rootfs_data.</summary>
    public DiskPartition? DataPartition =>
        Partitions.FirstOrDefault(p => p.Label == DataLabel && p.Type is "ext2" or "ext3" or "ext4");

    /// <summary>Where what is on the disk ends: the Live image or the furthest partition.</summary>
    public long UsedBytes
    {
        get
        {
            var end = LiveImageBytes ?? 0;
            foreach (var p in Partitions) end = Math.Max(end, p.EndBytes);
            return end;
        }
    }

    public static DiskContents Read(IBlockSource disk)
    {
        var iso = Iso9660Probe.VolumeBytes(disk);
        var table = PartitionTableProbe.Probe(disk);
        if (table is not { Type: "dos" } || BlockRead.Bytes(disk, 0, PartitionTableProbe.SectorSize) is not { } mbr)
            return new DiskContents(disk.Length, null, [], iso);
        var partitions = new List<DiskPartition>();
        foreach (var (slot, type, start, sectors) in MbrPartitionTable.PrimaryEntries(mbr))
        {
            if (sectors == 0) continue;
            long offset = (long)start * PartitionTableProbe.SectorSize, size = (long)sectors * PartitionTableProbe.SectorSize;
            var fs = FilesystemProbe.Probe(new SliceSource(disk, offset, size));
            partitions.Add(new DiskPartition(slot, type, offset, size, fs?.Type, fs?.Label));
        }
        return new DiskContents(disk.Length, mbr, partitions, iso);
    }
}
