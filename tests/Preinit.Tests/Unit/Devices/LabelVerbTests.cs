// `preinit label` on image files: the filesystem's own tool sets the label, and a probe shows it.
using Preinit.Boot.Devices;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public class LabelVerbTests
{
    [ToolFact("mkfs.ext4", "e2label")]
    public void Label_Ext4_UsesE2labelAndTheProbeSeesTheNewLabel() => Relabel("rootfs_data", "mkfs.ext4", "-q", "-F", "-L", "old");

    [ToolFact("mkfs.fat", "fatlabel")]
    public void Label_Vfat_UsesFatlabelAndTheProbeSeesTheNewLabel() => Relabel("ROOTFS_DATA", "mkfs.fat", "-n", "OLD");

    private static void Relabel(string label, string mkfs, params string[] args)
    {
        var image = Tools.Image("preinit-label", 16 << 20, mkfs, args);
        try
        {
            Assert.Equal(0, Verbs.Run("label", image, label).Code);
            Assert.Equal(label, DeviceProber.ProbePath(image).Label);
        }
        finally { File.Delete(image); }
    }

    [Fact]
    public void Label_NoFilesystem_FailsAndSaysHowToMakeOne()
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, new byte[1 << 20]);
        try
        {
            var (code, _, error) = Verbs.Run("label", path, "rootfs_data");

            Assert.Equal(1, code);
            Assert.Contains("no filesystem found; make one with a label, e.g. mkfs.ext4 -L rootfs_data", error);
        }
        finally { File.Delete(path); }
    }
}
