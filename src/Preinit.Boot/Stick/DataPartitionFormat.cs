// Makes the rootfs_data filesystem with e2fsprogs' mke2fs, at the partition's offset inside the
// whole stick or image file (-E offset=): no partition device node, loop device or root is needed,
// and nothing before the offset is touched. busybox's mke2fs makes only ext2 and knows no offset.
using Preinit.Boot.Platform;
using Preinit.Core.Stick;

namespace Preinit.Boot.Stick;

public static class DataPartitionFormat
{
    public static IReadOnlyList<string> Arguments(string target, DataPartitionPlan partition) =>
    [
        "-q", "-F", "-t", "ext4", "-L", DiskContents.DataLabel,
        // nodiscard: a discard is not needed on a new partition, and must never reach the image in front of it.
        "-E", $"offset={partition.StartBytes},nodiscard",
        target, $"{partition.SizeBytes / 1024}k",
    ];

    public static void Run(string target, DataPartitionPlan partition)
    {
        var mke2fs = Find();
        var run = ChildProcess.Run(mke2fs, Arguments(target, partition));
        if (run.ExitCode != 0)
            throw new StickException($"{mke2fs} {string.Join(' ', Arguments(target, partition))} exited with {run.ExitCode}: " +
                string.Join(" ", run.Output));
    }

    /// <summary>e2fsprogs' mke2fs; busybox's applet of the same name does not count.</summary>
    private static string Find()
    {
        var path = ChildProcess.Find("mke2fs", "mkfs.ext4")
            ?? throw new StickException("mke2fs not found: install e2fsprogs (apt-get install e2fsprogs; opkg install e2fsprogs)");
        var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (Path.GetFileName(real) == "busybox")
            throw new StickException($"{path} is busybox's mke2fs, which makes only ext2 and cannot write at an offset: " +
                "install e2fsprogs (apt-get install e2fsprogs; opkg install e2fsprogs)");
        return path;
    }
}
