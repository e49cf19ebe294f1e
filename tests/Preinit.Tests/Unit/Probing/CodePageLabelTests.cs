// A FAT label written in a DOS code page (not UTF-8): `probe` prints blkid's bytes, escaped where
// they are not UTF-8, and a LABEL= spec finds the device by those bytes or their code page 850 reading.
using Preinit.Core.Devices;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

[Collection(ProbingImagesCollection.Name)]
public class CodePageLabelTests(ProbingImages images)
{
    [ToolFact("blkid", "mkfs.fat")]
    public void Probe_CodePage850Label_PrintsBlkidsBytesEscaped()
    {
        var path = images.Get("vfat-code-page-850-label");
        var (code, output, _) = Verbs.Run("probe", path);
        Assert.Equal(0, code);
        Assert.Contains(@"LABEL=""\x9aN\xd8 \x92\x9d""", output);
        // The same bytes as blkid's, escaped as its udev encoding escapes them (blkid -p -o udev: LABEL_ENC).
        var blkid = ProbingTools.Run("blkid", ["-p", "-o", "udev", path]);
        Assert.Contains(@"ID_FS_LABEL_ENC=\x9aN\xd8\x20\x92\x9d", blkid);
        Assert.Equal(LabelBytes.ToBytes(Blkid.Probe(path)["LABEL"]), [0x9A, (byte)'N', 0xD8, (byte)' ', 0x92, 0x9D]);
    }

    [Fact]
    public void LabelSpec_CodePageLabel_MatchesItsBytesAndItsCodePage850Reading()
    {
        var device = new ProbedDevice(new BlockDevice("sdb1", 8, 17, 8 << 20, true, false, "sdb", 1, null), "vfat",
            ProbingImages.CodePage850Label, "1234-ABCD", null, null);

        Assert.True(new DeviceSpec(SpecKind.Label, "ÜNÏ ÆØ").Matches(device));
        Assert.True(new DeviceSpec(SpecKind.Label, ProbingImages.CodePage850Label).Matches(device));
        Assert.False(new DeviceSpec(SpecKind.Label, "ÜNÏ ÆX").Matches(device));
        Assert.False(new DeviceSpec(SpecKind.Label, "\uFFFDN\uFFFD \uFFFD\uFFFD").Matches(device));
    }
}
