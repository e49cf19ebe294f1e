// fsck on real images: each exit-status branch reached for real where the real checker can be made
// to return it (0, 1, 4, 8), and through a test checker where it cannot (2).
using Preinit.Boot.Fsck;
using Preinit.Core.Fsck;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Fsck;

public class FsckTests
{
    [Theory]
    [InlineData(0, FsckAction.Continue, "no errors")]
    [InlineData(1, FsckAction.Continue, "errors corrected")]
    [InlineData(2, FsckAction.Reboot, "reboot")]
    [InlineData(3, FsckAction.Reboot, "reboot")]
    [InlineData(4, FsckAction.ReadOnly, "uncorrected")]
    [InlineData(5, FsckAction.ReadOnly, "uncorrected")]
    [InlineData(8, FsckAction.Skip, "operational error")]
    [InlineData(12, FsckAction.Skip, "operational error")]
    [InlineData(16, FsckAction.Skip, "usage error")]
    [InlineData(32, FsckAction.Skip, "cancelled")]
    [InlineData(128, FsckAction.Skip, "shared library")]
    public void Policy_MapsEveryStatusBit(int status, FsckAction action, string meaning)
    {
        var verdict = FsckPolicy.For(status);
        Assert.Equal(action, verdict.Action);
        Assert.Contains(meaning, verdict.Meaning);
    }

    private static string Ext4(params string[] debugfsCommands)
    {
        var image = Tools.Image("preinit-fsck", 16 << 20, "mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        foreach (var c in debugfsCommands) Tools.Run("debugfs", "-w", "-R", c, image);
        return image;
    }

    private static (FsckOutcome Outcome, List<string> Log) Check(string image, string? type)
    {
        var log = new List<string>();
        return (new FsckRunner(log.Add, p => Preinit.Boot.Devices.DeviceProber.ProbePath(p).Type).Check(image, type), log);
    }

    [ToolFact("mkfs.ext4", "e2fsck")]
    public void Check_CleanExt4_Continues()
    {
        var image = Ext4();
        try
        {
            var (o, _) = Check(image, "ext4");
            Assert.Equal((0, FsckAction.Continue), (o.Status, o.Verdict.Action));
        }
        finally { File.Delete(image); }
    }

    [ToolFact("mkfs.ext4", "e2fsck", "debugfs")]
    public void Check_DirtyExt4_IsRepairedAndContinues()
    {
        var image = Ext4("ssv free_blocks_count 100", "ssv state 0");
        try
        {
            var (o, log) = Check(image, "ext4");
            Assert.Equal((1, FsckAction.Continue), (o.Status, o.Verdict.Action));
            Assert.Contains(log, l => l.Contains("not cleanly unmounted"));
            Assert.Equal(0, Check(image, "ext4").Outcome.Status); // repaired for good
        }
        finally { File.Delete(image); }
    }

    [ToolFact("mkfs.ext4", "e2fsck", "debugfs")]
    public void Check_DamageThePreenCannotFix_MeansReadOnly()
    {
        var image = Ext4("set_inode_field <2> links_count 0", "ssv state 0");
        try
        {
            var (o, log) = Check(image, "ext4");
            Assert.Equal((4, FsckAction.ReadOnly), (o.Status, o.Verdict.Action));
            Assert.Contains(log, l => l.Contains("UNEXPECTED INCONSISTENCY"));
        }
        finally { File.Delete(image); }
    }

    [ToolFact("e2fsck")]
    public void Check_NoSuperblock_IsAnOperationalErrorAndTheStickIsSkipped()
    {
        var image = Path.GetTempFileName();
        File.WriteAllBytes(image, new byte[4 << 20]);
        try
        {
            var (o, _) = Check(image, "ext4");
            Assert.Equal((8, FsckAction.Skip), (o.Status, o.Verdict.Action));
            Assert.Contains("check not complete", o.Verdict.Meaning);
        }
        finally { File.Delete(image); }
    }

    [ToolFact("e2fsck", "fsck.fat")]
    public void Check_UnknownType_TriesEveryCheckerWithTheSourcesMessages()
    {
        var image = Path.GetTempFileName();
        File.WriteAllBytes(image, new byte[4 << 20]);
        try
        {
            var (o, log) = Check(image, null);
            Assert.Equal(FsckAction.Skip, o.Verdict.Action);
            Assert.Contains($"Trying fsck_ext2 on {image}...", log);
            Assert.Contains($"Trying fsck_vfat on {image}...", log);
            Assert.Equal($"Giving up fsck on {image}", log[^1]);
        }
        finally { File.Delete(image); }
    }

    [ToolFact("mkfs.fat", "fsck.fat", "e2fsck")]
    public void Check_UnknownTypeOnAFat_StopsAtTheFatChecker()
    {
        var image = Path.GetTempFileName();
        using (var f = File.Create(image)) f.SetLength(16 << 20);
        Tools.Run("mkfs.fat", "-n", "ROOTFS_DATA", image);
        try
        {
            var (o, log) = Check(image, null);
            Assert.Equal(("vfat", FsckAction.Continue), (o.Checker?.Type, o.Verdict.Action));
            Assert.DoesNotContain(log, l => l.StartsWith("Giving up"));
        }
        finally { File.Delete(image); }
    }

    /// <summary>fsck.fat exits 1 ("errors corrected") when it dies on a sector it cannot read: a FAT12 boot sector on a
    /// 2 KiB device. Its own words decide: the check did not happen, and the stick is not mounted as repaired.</summary>
    [ToolFact("mkfs.fat", "fsck.fat")]
    public void Check_FatThatCannotBeRead_IsNotCalledRepaired()
    {
        var whole = Path.GetTempFileName();
        var image = Path.GetTempFileName();
        try
        {
            using (var f = File.Create(whole)) f.SetLength(1 << 20);
            Tools.Run("mkfs.fat", "-F", "12", whole);
            File.WriteAllBytes(image, File.ReadAllBytes(whole)[..2048]);

            var (o, log) = Check(image, "vfat");

            Assert.Equal((1, FsckAction.Skip), (o.Status, o.Verdict.Action));
            Assert.Contains("the check did not happen: fsck.fat says \"Failed to read sector", o.Verdict.Meaning);
            Assert.Contains(log, l => l.Contains("Failed to read sector"));
        }
        finally { File.Delete(whole); File.Delete(image); }
    }

    [ToolFact("mkfs.fat", "fsck.fat")]
    public void Check_CleanVfat_Continues()
    {
        var image = Path.GetTempFileName();
        using (var f = File.Create(image)) f.SetLength(16 << 20);
        Tools.Run("mkfs.fat", "-n", "ROOTFS_DATA", image);
        try
        {
            var (o, _) = Check(image, "vfat");
            Assert.Equal((0, FsckAction.Continue), (o.Status, o.Verdict.Action));
        }
        finally { File.Delete(image); }
    }

    [Fact]
    public void Run_CheckerAskingForReboot_GivesRebootWithItsRealStatus()
    {
        var script = Path.GetTempFileName();
        File.WriteAllText(script, "#!/bin/sh\necho \"checked $1\"\nexit 2\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var log = new List<string>();
            var o = new FsckRunner(log.Add, p => Preinit.Boot.Devices.DeviceProber.ProbePath(p).Type)
                .Run(new FsckChecker("test", [script], [], "none", s => s), "/dev/fake");
            Assert.Equal((2, FsckAction.Reboot), (o.Status, o.Verdict.Action));
            Assert.Contains(log, l => l.EndsWith("checked /dev/fake"));
        }
        finally { File.Delete(script); }
    }

    [Fact]
    public void Run_MissingChecker_MountsUncheckedAndNamesThePackage()
    {
        var log = new List<string>();
        var o = new FsckRunner(log.Add, p => Preinit.Boot.Devices.DeviceProber.ProbePath(p).Type)
            .Run(new FsckChecker("f2fs", ["fsck.no-such-tool"], ["-a"], "f2fs-tools", s => s), "/dev/sdb1");
        Assert.Equal((null, FsckAction.Continue), (o.Status, o.Verdict.Action));
        Assert.Contains("/dev/sdb1 is not checked and is mounted unchecked: install f2fs-tools", o.Verdict.Meaning);
        Assert.StartsWith("warning: fsck.no-such-tool not found", Assert.Single(log));
    }

    [Fact]
    public void Check_Btrfs_IsNotCheckedAndSaysWhy()
    {
        var (o, log) = Check("/dev/fake", "btrfs");
        Assert.Equal(FsckAction.Continue, o.Verdict.Action);
        Assert.Contains(log, l => l.Contains("not checking /dev/fake: btrfs"));
    }
}
