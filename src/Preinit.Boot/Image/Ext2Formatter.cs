// Formats an image file as ext2 with mke2fs (busybox's in the initramfs, e2fsprogs' elsewhere):
// only options both understand, no reserved blocks, the inode ratio from Ext2Geometry.
using Preinit.Boot.Platform;
using Preinit.Core.Ext2;
using Preinit.Core.Image;

namespace Preinit.Boot.Image;

public static class Ext2Formatter
{
    public static void Format(string image, Ext2Geometry geometry, Action<string> log)
    {
        var mke2fs = ChildProcess.Find("mke2fs", "mkfs.ext2")
            ?? throw new FileNotFoundException("mke2fs not found: the image needs busybox (mke2fs applet) or e2fsprogs");
        string[] args = ["-F", "-b", $"{geometry.BlockSize}", "-I", $"{TreeUsage.InodeSize}",
            "-i", $"{geometry.BytesPerInode}", "-m", "0", image];
        var result = ChildProcess.Run(mke2fs, args);
        if (result.ExitCode != 0)
        {
            foreach (var line in result.Output) log(line);
            throw new IOException($"{mke2fs} {string.Join(' ', args)} exited with {result.ExitCode}: {result.Output.LastOrDefault()}");
        }
    }

    /// <summary>The superblock of a formatted image, read back to check the space mkfs left.</summary>
    public static Ext2Superblock ReadSuperblock(string image)
    {
        using var file = File.OpenRead(image);
        var buffer = new byte[Ext2Superblock.Size];
        file.Position = Ext2Superblock.Offset;
        file.ReadExactly(buffer);
        return Ext2Superblock.TryRead(buffer, out var sb) ? sb
            : throw new InvalidDataException($"{image}: no ext2 superblock after mke2fs");
    }
}
