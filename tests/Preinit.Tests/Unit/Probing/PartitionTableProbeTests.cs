// Partition tables against blkid -p (PTTYPE, PTUUID, and each partition's filesystem probed at its
// offset with -O/-S) and against sfdisk (numbers, offsets, GPT PARTUUID and PARTLABEL). PARTUUID and
// PARTLABEL as blkid prints them for partition devices are checked in Root/ProbingLoopDeviceTests.
using Preinit.Boot.Probing;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

[Collection(ProbingImagesCollection.Name)]
public class PartitionTableProbeTests(ProbingImages images)
{
    [ToolFact("blkid", "sfdisk", "mkfs.fat", "mkfs.ext4", "mkfs.ext2", "mkswap")]
    public void Dos_PrimaryAndLogicalPartitions_MatchBlkidAndSfdisk()
    {
        var path = images.Get("disk-dos");
        var table = CheckTable(path, "dos", "1234abcd");
        // Logical partitions are numbered from 5; the extended container (3) holds no filesystem and is not listed.
        Assert.Equal([1, 2, 5, 6], table.Partitions.Select(p => p.Number));
        Assert.Equal(["1234abcd-01", "1234abcd-02", "1234abcd-05", "1234abcd-06"], table.Partitions.Select(p => p.PartUuid));
        Assert.All(table.Partitions, p => Assert.Null(p.PartLabel));
        Assert.All(table.Partitions, p => Assert.Equal("dos", p.Scheme));
        var sfdisk = Sfdisk.Partitions(path).Where(p => p.Type is not "5").ToList();
        Assert.Equal(sfdisk.Select(p => (p.Number, p.StartBytes, p.SizeBytes)), table.Partitions.Select(p => (p.Number, p.StartBytes,
            p.SizeBytes)));
        CheckFilesystems(path, table.Partitions, ["BOOT", "rootfs_data", ProbingImages.Utf8Label, "swap"]);
    }

    [ToolFact("blkid", "sfdisk", "mkfs.fat", "mkfs.ext4")]
    public void Gpt_NamesAndUuids_MatchBlkidAndSfdisk()
    {
        var path = images.Get("disk-gpt");
        var table = CheckTable(path, "gpt", "01234567-89ab-cdef-0123-456789abcdef");
        var sfdisk = Sfdisk.Partitions(path);
        Assert.Equal([1, 2, 4], table.Partitions.Select(p => p.Number));   // slot 3 is empty: the numbers keep the gap
        Assert.Equal(sfdisk.Select(p => (p.Number, p.StartBytes, p.SizeBytes, p.Uuid?.ToLowerInvariant(), p.Name)),
            table.Partitions.Select(p => (p.Number, p.StartBytes, p.SizeBytes, p.PartUuid, p.PartLabel)));
        Assert.Equal([ProbingImages.Utf8Label, "rootfs_data", null], table.Partitions.Select(p => p.PartLabel));
        Assert.Equal("11111111-2222-3333-4444-555555555555", table.Partitions[0].PartUuid);
        CheckFilesystems(path, table.Partitions, ["EFI", "rootfs_data", null]);
    }

    [ToolFact("blkid", "sfdisk", "mkfs.fat", "mkfs.ext4")]
    public void Gpt_PrimaryHeaderDamaged_ReadsTheBackupHeader()
    {
        var table = CheckTable(images.Get("disk-gpt-backup-header-only"), "gpt", "01234567-89ab-cdef-0123-456789abcdef");
        Assert.Equal([1, 2, 4], table.Partitions.Select(p => p.Number));
    }

    [ToolFact("blkid", "sfdisk", "mkfs.fat", "mkfs.ext4")]
    public void Gpt_BothHeadersDamaged_IsNoTable()
    {
        var path = images.Get("disk-protective-mbr-only");
        Assert.Equal("PMBR", Blkid.Probe(path).Get("PTTYPE"));   // blkid's name for a protective MBR alone
        Assert.Null(Probe(path));
    }

    /// <summary>The filesystem images made without a partition table: no table, as blkid says, with one
    /// exception: blkid 2.38 takes the 55 AA of an exFAT boot sector for an empty "dos" table (fixed in 2.39,
    /// which ignores exFAT like FAT and NTFS; so do we).</summary>
    [ToolFact("blkid", "mkfs.ext4", "mkfs.fat", "mkfs.exfat", "mkntfs", "mkswap", "genisoimage")]
    public void SuperfloppyImages_HaveNoTable()
    {
        foreach (var name in new[] { "ext4-no-label", "vfat32-label", "vfat16-no-label", "vfat-floppy", "ntfs-no-label", "swap-no-label",
            "iso9660-primary-only" })
        {
            var path = images.Get(name);
            Assert.False(Blkid.Probe(path).ContainsKey("PTTYPE"), name);
            Assert.Null(Probe(path));
        }
        var exfat = images.Get("exfat-no-label");
        Assert.Contains(Blkid.Probe(exfat).Get("PTTYPE"), new[] { "dos", null });
        Assert.Null(Probe(exfat));
    }

    private static (string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions) CheckTable(string path, string type, string uuid)
    {
        var blkid = Blkid.Probe(path);
        var table = Probe(path);
        Assert.NotNull(table);
        Assert.Equal((blkid.Get("PTTYPE"), blkid.Get("PTUUID")), (table.Value.Type, table.Value.Uuid));
        Assert.Equal((type, uuid), (table.Value.Type, table.Value.Uuid));
        Assert.Null(blkid.Get("TYPE"));   // a partitioned disk carries no filesystem of its own
        return table.Value;
    }

    /// <summary>Each partition's filesystem through a SliceSource equals blkid -p -O offset -S size on the disk.</summary>
    private static void CheckFilesystems(string path, IReadOnlyList<PartitionInfo> partitions, string?[] labels)
    {
        using var disk = FileBlockSource.Open(path);
        for (var i = 0; i < partitions.Count; i++)
        {
            var p = partitions[i];
            var blkid = Blkid.Probe(path, p.StartBytes, p.SizeBytes);
            var ours = FilesystemProbe.Probe(new SliceSource(disk, p.StartBytes, p.SizeBytes));
            if (blkid.Get("TYPE") is null) { Assert.Null(ours); continue; }
            Assert.Equal(new ProbeResult(blkid["TYPE"], blkid.Get("LABEL"), blkid.Get("UUID"), blkid.Get("VERSION"), blkid["USAGE"]), ours);
            Assert.Equal(labels[i], ours!.Label);
        }
    }

    private static (string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions)? Probe(string path)
    {
        using var source = FileBlockSource.Open(path);
        return PartitionTableProbe.Probe(source);
    }
}
