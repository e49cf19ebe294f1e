// Formats an image file as ext2 with mke2fs (busybox's in the initramfs, e2fsprogs' elsewhere) for the
// writer's layout: only options both understand, its block size and inode count, no reserved blocks.
using Preinit.Boot.Platform;
using Preinit.Core.Ext2;

namespace Preinit.Boot.Image;

public static class Ext2Formatter
{
    /// <param name="inodes">The inode count: e2fsprogs takes it as -N; busybox parses -N and ignores it, so the ratio
    /// (-i) of the image's size to it is given as well, which e2fsprogs ignores when -N is there.</param>
    public static void Format(string image, long imageBytes, int blockSize, long inodes, Action<string> log)
    {
        var mke2fs = ChildProcess.Find("mke2fs", "mkfs.ext2")
            ?? throw new FileNotFoundException("mke2fs not found: the image needs busybox (mke2fs applet) or e2fsprogs");
        string[] args = ["-F", "-b", $"{blockSize}", "-I", $"{Ext2Disk.InodeSize}", "-N", $"{inodes}",
            "-i", $"{Math.Max(blockSize, imageBytes / inodes)}", "-m", "0", image];
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
