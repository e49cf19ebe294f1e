// Every filesystem type against blkid -p on the same image made by the real mkfs: TYPE, LABEL, UUID,
// VERSION and USAGE must be what blkid prints, and the label or UUID the test set must come out as set.
using Preinit.Boot.Probing;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

[Collection(ProbingImagesCollection.Name)]
public class FilesystemProbeTests(ProbingImages images)
{
    [ToolFact("blkid", "mkfs.ext2")] public void Ext2_SixteenByteLabelWithoutNul_MatchesBlkid() => Check("ext2-16-byte-label");
    [ToolFact("blkid", "mkfs.ext3")] public void Ext3_Utf8Label_MatchesBlkid() => Check("ext3-utf8-label");
    [ToolFact("blkid", "mkfs.ext4")] public void Ext4_LabelWithSpaces_KeepsLeadingSpacesLikeBlkid() => Check("ext4-spaces-label");
    [ToolFact("blkid", "mkfs.ext4")] public void Ext4_NoLabel_HasNoLabel() => Check("ext4-no-label");
    [ToolFact("blkid", "mkfs.ext4")] public void Ext4_TestFilesystemFlag_IsExt4Dev() => Check("ext4-test-filesystem-flag");
    [ToolFact("blkid", "mke2fs")] public void Ext_JournalDevice_IsJbdWithUsageOther() => Check("ext-journal-device", ProbeResult.Other);

    [ToolFact("blkid", "mkfs.fat")] public void Vfat12_LabelInRootDirectoryOnly_TakesTheRootDirectoryLabel() =>
        Check("vfat12-label-in-root-dir-only");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat16_LabelInBootSectorOnly_HasNoLabelLikeBlkid() =>
        Check("vfat16-label-in-boot-sector-only");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat_RootEntryNoName_IsALabelLikeAnyOther() => Check("vfat-root-entry-says-no-name");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat_CodePage850Label_MatchesBlkidsBytes() => Check("vfat-code-page-850-label");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat_LowercaseLabel_MatchesBlkid() => Check("vfat-lowercase-label");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat16_NoLabel_HasSerialOnly() => Check("vfat16-no-label");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat32_LabelAndSerial_MatchBlkid() => Check("vfat32-label");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat32_LabelInSecondRootCluster_FollowsTheClusterChain() =>
        Check("vfat32-label-in-second-root-cluster");
    [ToolFact("blkid", "mkfs.fat")] public void Vfat_Floppy_ReadsTheRootDirectoryEntryByEntry() => Check("vfat-floppy");

    [ToolFact("blkid", "mkfs.exfat", "tune.exfat")] public void Exfat_Utf8LabelAndSerial_MatchBlkid() => Check("exfat-utf8-label");
    [ToolFact("blkid", "mkfs.exfat")] public void Exfat_NoLabel_HasNoLabel() => Check("exfat-no-label");
    [ToolFact("blkid", "mkntfs", "ntfslabel")] public void Ntfs_Utf8LabelAndSerial_MatchBlkid() => Check("ntfs-utf8-label");
    [ToolFact("blkid", "mkntfs")] public void Ntfs_NoLabel_HasNoLabel() => Check("ntfs-no-label");
    [ToolFact("blkid", "mkfs.btrfs")] public void Btrfs_Utf8LabelAndUuid_MatchBlkid() => Check("btrfs-utf8-label");
    [ToolFact("blkid", "mkfs.xfs")] public void Xfs_TwelveByteLabelAndUuid_MatchBlkid() => Check("xfs-12-byte-label");
    [ToolFact("blkid", "mkfs.f2fs")] public void F2fs_Utf8LabelAndUuid_MatchBlkid() => Check("f2fs-utf8-label");
    [ToolFact("blkid", "mkfs.f2fs")] public void F2fs_LoneSurrogatesInLabel_ConvertedAsBlkidDoes() => Check("f2fs-odd-utf16-label");
    [ToolFact("blkid", "mkswap")] public void Swap_SixteenByteLabel_IsSwapWithUsageOther() =>
        Check("swap-16-byte-label", ProbeResult.Other);
    [ToolFact("blkid", "mkswap")] public void Swap_NoLabel_HasUuidOnly() => Check("swap-no-label", ProbeResult.Other);
    [ToolFact("blkid", "mksquashfs")] public void Squashfs_HasVersionOnly() => Check("squashfs");
    [ToolFact("blkid", "mkfs.erofs")] public void Erofs_LabelAndUuid_MatchBlkid() => Check("erofs-with-label");

    [ToolFact("blkid", "genisoimage")] public void Iso9660_JolietUtf8Label_IsTheJolietLabel() => Check("iso9660-joliet-utf8-label");
    [ToolFact("blkid", "genisoimage")] public void Iso9660_JolietLongAsciiLabel_IsCompletedFromThePrimaryLabel() =>
        Check("iso9660-joliet-long-ascii-label");
    [ToolFact("blkid", "genisoimage")] public void Iso9660_PrimaryIdWithUnderscores_MergedWithTheJolietLabel() =>
        Check("iso9660-joliet-merged-with-underscores");
    [ToolFact("blkid", "genisoimage")] public void Iso9660_PrimaryOnly_TakesThePrimaryLabel() => Check("iso9660-primary-only");
    [ToolFact("blkid", "xorriso")] public void Iso9660_ModificationDate_IsTheUuid() => Check("iso9660-fixed-date");

    [ToolFact("blkid", "xorriso")] public void Iso9660_ElToritoWithoutUdf_StaysIso9660() => Check("iso9660-el-torito-xorriso");

    [ToolFact("blkid", "mkudffs")] public void Udf_Utf8LabelAndUuid_MatchBlkid() => Check("udf-utf8-label");
    [ToolFact("blkid", "mkudffs")] public void Udf_DvdMedia_MatchesBlkid() => Check("udf-dvd-media");
    [ToolFact("blkid", "mkudffs", "sh")] public void Udf_Latin1LabelAnd4096ByteBlocks_MatchBlkid() =>
        Check("udf-latin1-label-4096-byte-blocks");
    [ToolFact("blkid", "genisoimage")] public void Udf_BridgeDisc_IsUdfNotIso9660() => Check("udf-bridge-genisoimage");
    [ToolFact("blkid", "mkudffs")] public void Udf_WithMbrBootArea_IsUdf() => Check("udf-with-mbr");

    [ToolFact("blkid", "cryptsetup")] public void Luks1_IsCryptoWithUuidAndVersion() => Check("luks1", ProbeResult.Crypto);
    [ToolFact("blkid", "cryptsetup")] public void Luks2_HasLabelUuidAndVersion() => Check("luks2-utf8-label", ProbeResult.Crypto);
    [ToolFact("blkid", "cryptsetup")] public void Luks2_PrimaryHeaderWiped_FoundByTheSecondaryHeader() =>
        Check("luks2-primary-header-wiped", ProbeResult.Crypto);

    [ToolFact("blkid", "mkfs.ext2", "mkfs.fat")] public void TwoFilesystems_Ambivalent_NothingLikeBlkid() =>
        Check("ambivalent-vfat-over-ext2");
    [ToolFact("blkid")] public void Zeros_AreNothing() => Check("zeros");
    [ToolFact("blkid")] public void RandomBytes_AreNothing() => Check("random-bytes");

    /// <summary>blkid has no JFFS2 prober: it finds nothing, and we find jffs2 (tried only after blkid's table).</summary>
    [ToolFact("blkid", "mkfs.jffs2")]
    public void Jffs2_BothByteOrders_FoundWhereBlkidFindsNothing()
    {
        foreach (var name in new[] { "jffs2-little-endian", "jffs2-big-endian" })
        {
            var path = images.Get(name);
            Assert.Empty(Blkid.Probe(path));
            Assert.Equal(new ProbeResult("jffs2", null, null), Probe(path));
        }
    }

    private void Check(string name, string usage = ProbeResult.Filesystem)
    {
        var recipe = ProbingImages.Recipe(name);
        var path = images.Get(recipe);
        var blkid = Blkid.Probe(path);
        var ours = Probe(path);

        if (!blkid.ContainsKey("TYPE"))
            Assert.Null(ours);
        else
        {
            Assert.NotNull(ours);
            var expected = new ProbeResult(blkid["TYPE"], blkid.Get("LABEL"), blkid.Get("UUID"), blkid.Get("VERSION"), blkid["USAGE"]);
            Assert.Equal(expected, ours);
            Assert.Equal(usage, ours.Usage);
        }

        // What the test set must be what comes out (so a blkid quirk shows up here, not silently in both).
        var e = recipe.Expect;
        Assert.Equal(e.Type, ours?.Type);
        if (e.Label != Expected.Any) Assert.Equal(e.Label, ours?.Label);
        if (e.Uuid != Expected.Any) Assert.Equal(e.Uuid, ours?.Uuid);
        if (e.Version != Expected.Any) Assert.Equal(e.Version, ours?.Version);
    }

    private static ProbeResult? Probe(string path)
    {
        using var source = FileBlockSource.Open(path);
        return FilesystemProbe.Probe(source);
    }
}
