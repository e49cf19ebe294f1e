// Probes block devices read-only: the filesystem on each, and for a partition its PARTUUID and
// PARTLABEL from the parent disk's partition table, and whether it lies inside a Live image written
// at the start of that disk.
using Preinit.Boot.Probing;
using Preinit.Core.Devices;
using Preinit.Core.Probing;

namespace Preinit.Boot.Devices;

public static class DeviceProber
{
    public static IReadOnlyList<ProbedDevice> ProbeAll(IReadOnlyList<BlockDevice> devices, string devDirectory = "/dev")
    {
        var byName = devices.ToDictionary(d => d.Name);
        var disks = new Dictionary<string, DiskLayout>();
        var result = new List<ProbedDevice>();
        foreach (var device in devices)
        {
            PartitionInfo? partition = null;
            string? insideImageOf = null;
            if (device.Parent is { } parent && device.PartitionNumber is int number)
            {
                if (!disks.TryGetValue(parent, out var disk))
                    disks[parent] = disk = Layout(Path.Combine(devDirectory, parent));
                partition = disk.Partitions.FirstOrDefault(p => p.Number == number);
                if (partition is not null && partition.StartBytes + partition.SizeBytes <= disk.Iso9660Bytes)
                    insideImageOf = "/dev/" + parent;
            }
            result.Add(Probe(device, Path.Combine(devDirectory, device.Name), partition) with { InsideImageOf = insideImageOf });
        }
        return result;
    }

    public static ProbedDevice Probe(BlockDevice device, string path, PartitionInfo? partition = null)
    {
        ProbeResult? fs = null;
        (string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions)? table = null;
        string? error = null;
        ExtBackup? damaged = null;
        try
        {
            using var source = FileBlockSource.Open(path);
            // blkid -p reports a partition table beside a filesystem (a hybrid ISO's MBR, mkudffs --bootarea=mbr), and
            // nothing at all when two filesystems claim the device.
            fs = FilesystemProbe.Probe(source, out var ambivalent);
            if (!ambivalent) table = PartitionTableProbe.Probe(source);
            if (fs is null && table is null) damaged = ExtBackupSuperblock.Find(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { error = e.Message; }
        return new ProbedDevice(device, fs?.Type, fs?.Label, fs?.Uuid, partition?.PartUuid, partition?.PartLabel, fs?.Version,
            table?.Type, table?.Uuid, error, damaged);
    }

    /// <summary>Probes a file or device given by path (the probe verb's arguments).</summary>
    public static ProbedDevice ProbePath(string path)
    {
        var name = Path.GetFileName(path);
        long length = 0;
        try { using var s = FileBlockSource.Open(path); length = s.Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        var device = new BlockDevice(name, 0, 0, length, false, false, null, null, null);
        return Probe(device, path);
    }

    /// <summary>A disk's partitions and the extent of an iso9660 filesystem at its start (0 without one).</summary>
    private sealed class DiskLayout(IReadOnlyList<PartitionInfo> partitions, long iso9660Bytes)
    {
        public IReadOnlyList<PartitionInfo> Partitions { get; } = partitions;
        public long Iso9660Bytes { get; } = iso9660Bytes;
    }

    private static DiskLayout Layout(string diskPath)
    {
        try
        {
            using var source = FileBlockSource.Open(diskPath);
            return new DiskLayout(PartitionTableProbe.Probe(source)?.Partitions ?? [], FilesystemProbe.Iso9660Bytes(source) ?? 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new DiskLayout([], 0); }
    }
}
