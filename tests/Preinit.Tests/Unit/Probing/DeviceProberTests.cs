// What `preinit probe` reports for a whole device against blkid -p: a partition table beside a
// filesystem (PTTYPE/PTUUID next to TYPE, as on a hybrid ISO or a UDF disk with an MBR boot area),
// and none, not even the table, when two filesystems claim the device.
using Preinit.Boot.Devices;
using Preinit.Boot.Probing;
using Preinit.Core.Devices;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

[Collection(ProbingImagesCollection.Name)]
public class DeviceProberTests(ProbingImages images)
{
    // jffs2: blkid has no prober for it (FilesystemProbeTests); exfat: blkid 2.38 takes its boot sector for an empty
    // "dos" table, which 2.39 fixed (PartitionTableProbeTests.SuperfloppyImages_HaveNoTable); a protective MBR without
    // a GPT is blkid's "PMBR" and no table to us (PartitionTableProbeTests.Gpt_BothHeadersDamaged_IsNoTable).
    private static readonly string[] NotComparable =
        ["jffs2-little-endian", "jffs2-big-endian", "exfat-utf8-label", "exfat-no-label", "disk-protective-mbr-only"];

    [ToolFact("blkid", "mkudffs", "xorriso")]
    public void PartitionTable_BesideAFilesystem_ReportedLikeBlkid()
    {
        foreach (var name in new[] { "udf-with-mbr", "iso9660-hybrid-mbr" })
        {
            var ours = CheckAgainstBlkid(name);
            Assert.NotNull(ours.Type);
            Assert.Equal("dos", ours.PtType);
        }
    }

    [ToolFact("blkid", "mkfs.btrfs", "mkfs.ext2", "sfdisk")]
    public void PartitionTable_OnAnAmbivalentDevice_NotReportedLikeBlkid()
    {
        var path = images.Get("ambivalent-ext2-over-btrfs-with-mbr");
        using (var disk = FileBlockSource.Open(path)) Assert.NotNull(PartitionTableProbe.Probe(disk));   // the table is there
        var ours = CheckAgainstBlkid("ambivalent-ext2-over-btrfs-with-mbr");
        Assert.Null(ours.Type);
        Assert.Null(ours.PtType);
    }

    /// <summary>Every probing image: TYPE, PTTYPE and PTUUID of the whole image are blkid's (a table alone, a
    /// filesystem alone, both, or nothing for an ambivalent device).</summary>
    [ToolFact("blkid")]
    public void EveryImage_TypeAndPartitionTable_MatchBlkid()
    {
        var recipes = ProbingImages.All.Where(r => !NotComparable.Contains(r.Name)
            && (Tier.RequireAll || Tier.ToolsMissing(r.Tools) is null));
        foreach (var r in recipes) CheckAgainstBlkid(r.Name);
    }

    private ProbedDevice CheckAgainstBlkid(string name)
    {
        var path = images.Get(name);
        var blkid = Blkid.Probe(path);
        var ours = DeviceProber.ProbePath(path);
        Assert.Equal((name, blkid.Get("TYPE"), blkid.Get("PTTYPE"), blkid.Get("PTUUID")), (name, ours.Type, ours.PtType, ours.PtUuid));
        return ours;
    }
}
