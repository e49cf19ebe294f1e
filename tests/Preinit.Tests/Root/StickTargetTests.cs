// `preinit stick` against real block devices (loop devices in the private mount namespace): what
// makes a device the wrong one to write, refused before a byte is written, and --force on a device
// that is merely not removable.
using System.Security.Cryptography;
using Preinit.Cli.Verbs;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class StickTargetTests
{
    private const long MiB = 1L << 20;

    private static (int Code, string Out, string Err) Stick(string? image, string target, bool force = false, string persistence = "64M")
    {
        using StringWriter output = new(), error = new();
        var code = new StickVerb(new StringReader("")).Run(output, error, image, target, persistence, force, yes: true, verify: true);
        return (code, output.ToString(), error.ToString());
    }

    private static string Hash(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f));
    }

    /// <summary>A sparse file of <paramref name="bytes"/> on a loop device (not removable, as a fixed disk).</summary>
    private sealed class LoopDisk : IDisposable
    {
        public string File { get; } = Path.Combine(Path.GetTempPath(), $"preinit-disk-{Guid.NewGuid():N}.img");
        public string Device { get; }

        public LoopDisk(long bytes, bool partscan = false)
        {
            Tier.Require(Tier.RootMissing());
            using (var f = System.IO.File.Create(File)) f.SetLength(bytes);
            Device = Tools.Run("losetup", [.. partscan ? new[] { "--partscan" } : [], "--find", "--show", File]).Trim();
        }

        public void Dispose()
        {
            Tools.Run("losetup", "--detach", Device);
            System.IO.File.Delete(File);
        }
    }

    [RootFact]
    public void NotRemovable_IsRefused_UnlessForced()
    {
        using var disk = new LoopDisk(1024 * MiB);
        var before = Hash(disk.File);

        var refused = Stick(Paths.LiveIso, disk.Device);

        Assert.Equal(1, refused.Code);
        Assert.Contains($"Error: {disk.Device} (loop device over {disk.File}, not removable) is not removable: it looks like a disk " +
            "of this machine, not a USB stick. If it really is the stick to write, add --force", refused.Err);
        Assert.Equal(before, Hash(disk.File));

        var forced = Stick(Paths.LiveIso, disk.Device, force: true);

        Assert.True(forced.Code == 0, forced.Err);
        Assert.Contains("partition 3: rootfs_data, 64.0 MiB from 512.0 MiB, a new ext4 filesystem", forced.Out);
        Assert.Contains("TYPE=ext4", Tools.Run("blkid", "-p", "-O", $"{512 * MiB}", "-o", "export", disk.Device));
    }

    [RootFact]
    public void Mounted_IsRefused_AndEvenForcedTheKernelRefusesExclusiveAccess()
    {
        using var stick = new LoopStick("mkfs.ext4", "-q", "-L", "busy");
        using var scratch = new Scratch();
        var mountPoint = scratch.Sub("busy");
        Libc.Mount(stick.Device, mountPoint, "ext4", 0, null);
        try
        {
            var refused = Stick(Paths.LiveIso, stick.Device);
            Assert.Equal(1, refused.Code);
            Assert.Contains($"{stick.Device} is in use: {stick.Device} is mounted on {mountPoint}. Unmount it first", refused.Err);

            // The image alone fits the 32 MiB device: only the kernel stands in the way.
            var forced = Stick(Paths.LiveIso, stick.Device, force: true, persistence: "0");
            Assert.Equal(1, forced.Code);
            Assert.Contains("the kernel refuses exclusive access", forced.Err);

            // The image file behind the mounted loop device is the same stick.
            var file = Stick(Paths.LiveIso, stick.Image);
            Assert.Equal(1, file.Code);
            Assert.Contains($"{stick.Image} is attached to {stick.Device}, and {stick.Device} is mounted on {mountPoint}", file.Err);

            // Still the filesystem it was, whole (its own unmount changes its superblock, so no byte comparison).
            Libc.Umount2(mountPoint, 0);
            var blkid = Tools.Run("blkid", "-p", "-o", "export", stick.Image);
            Assert.Contains("LABEL=busy", blkid);
            Assert.DoesNotContain("iso9660", blkid);
            Tools.Run("e2fsck", "-fn", stick.Image);
        }
        finally
        {
            if (MountPoint(mountPoint)) Libc.Umount2(mountPoint, Libc.MNT_DETACH);
        }
    }

    [RootFact]
    public void Partition_IsRefusedWithTheWholeDiskNamed()
    {
        using var disk = new LoopDisk(64 * MiB, partscan: true);
        Tools.Run("sh", "-c", $"echo 'start=2048, type=83' | sfdisk --quiet {disk.Device}");
        Tools.Run("partx", "--update", disk.Device);
        var partition = disk.Device + "p1";
        for (var i = 0; i < 50 && !File.Exists(partition); i++) Thread.Sleep(100);

        var refused = Stick(Paths.LiveIso, partition);

        Assert.Equal(1, refused.Code);
        var name = Path.GetFileName(disk.Device);
        Assert.Contains($"{partition} is a partition of /dev/{name}; give the whole stick: preinit stick ... /dev/{name}", refused.Err);
    }

    private static bool MountPoint(string path) => File.ReadAllText("/proc/self/mounts").Contains($" {path} ", StringComparison.Ordinal);
}
