// A stick whose primary ext superblock is damaged: nothing is identified (as with blkid -p), but the
// first backup copy names it, and the repair command preinit prints really brings it back.
using Preinit.Boot.Devices;
using Preinit.Core.Devices;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

public class ExtBackupSuperblockTests
{
    private const string Uuid = "0b1f6e2c-8a2d-4c55-9d7e-3f1a2b3c4d5e";

    private static string DamagedImage(int blockSize, long bytes)
    {
        var image = Path.Combine(Path.GetTempPath(), $"preinit-damaged-{Guid.NewGuid():N}.img");
        using (var f = File.Create(image)) f.SetLength(bytes);
        ProbingTools.Run("mkfs.ext4", ["-q", "-F", "-b", $"{blockSize}", "-L", "rootfs_data", "-U", Uuid, image]);
        Tools.DamagePrimarySuperblock(image);
        return image;
    }

    [Theory]
    [InlineData(1024, 64L << 20, 8193)]
    [InlineData(2048, 64L << 20, 16384)]
    [InlineData(4096, 256L << 20, 32768)]
    public void DamagedPrimary_BackupNamesTheStick_AndItsRepairCommandRestoresIt(int blockSize, long bytes, long block)
    {
        var image = DamagedImage(blockSize, bytes);
        try
        {
            var probed = DeviceProber.ProbePath(image);
            Assert.Null(probed.Type);
            Assert.Equal(new ExtBackup(new ProbeResult("ext4", "rootfs_data", Uuid, "1.0", ProbeResult.Filesystem), block, blockSize),
                probed.DamagedExt);
            Assert.True(new DeviceSpec(SpecKind.Label, "rootfs_data").Matches(probed.AsBackupDescribes!));

            var command = probed.DamagedExt!.RepairCommand(image).Split(' ');
            ProbingTools.Run(command[0], command[1..], okExitCodes: [0, 1]);

            var repaired = DeviceProber.ProbePath(image);
            Assert.Equal(("ext4", "rootfs_data", Uuid), (repaired.Type, repaired.Label, repaired.Uuid));
            Assert.Null(repaired.DamagedExt);
        }
        finally { File.Delete(image); }
    }

    [Fact]
    public void ProbeVerb_DamagedImage_NothingIdentifiedButTheRepairOnStderr()
    {
        var image = DamagedImage(1024, 64L << 20);
        try
        {
            var (code, output, error) = Support.Verbs.Run("probe", image);
            Assert.Equal(2, code); // as blkid -p: nothing identified
            Assert.Empty(output);
            Assert.Equal($"{image}: damaged ext4 superblock; its backup says LABEL=\"rootfs_data\" UUID={Uuid}; " +
                $"repair: e2fsck -p -b 8193 -B 1024 {image}\n", error);
        }
        finally { File.Delete(image); }
    }

    [Fact]
    public void EmptyDevice_HasNoBackup()
    {
        var image = Path.GetTempFileName();
        try
        {
            using (var f = File.OpenWrite(image)) f.SetLength(64 << 20);
            Assert.Null(DeviceProber.ProbePath(image).DamagedExt);
        }
        finally { File.Delete(image); }
    }

    [Fact]
    public void NothingMatches_StickWithADamagedSuperblock_GetsTheRepairAndNeverTheAdviceToFormat()
    {
        var copy = new ProbeResult("ext4", "rootfs_data", Uuid, "1.0", ProbeResult.Filesystem);
        var stick = new ProbedDevice(new BlockDevice("sdb", 8, 16, 64L << 20, true, false, null, null, null), null, null, null, null, null,
            DamagedExt: new ExtBackup(copy, 8193, 1024));

        var lines = DeviceReport.NothingMatches(new DeviceSpec(SpecKind.Label, "rootfs_data"), [stick], TimeSpan.FromSeconds(15),
            DeviceExclusion.Reason);

        Assert.Contains(lines, l => l.Contains("/dev/sdb  64.0 MiB  (damaged ext4 superblock; " +
            $"its backup says LABEL=\"rootfs_data\" UUID={Uuid})"));
        Assert.Contains(lines, l => l.Contains("/dev/sdb is LABEL=rootfs_data with a damaged superblock")
            && l.Contains("Repair it with: e2fsck -p -b 8193 -B 1024 /dev/sdb") && l.Contains("Do not format it"));
        Assert.DoesNotContain(lines, l => l.Contains("mkfs") || l.Contains("label it"));
    }
}
