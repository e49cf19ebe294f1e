// Sizes an ext2 image for a tree in one go: data blocks + headroom + the metadata mkfs adds
// (boot block, superblock and descriptor copies in sparse_super groups, bitmaps, inode tables).
// The result is checked against the formatted superblock before copying (see Ext2Superblock).
namespace Preinit.Core.Image;

/// <summary>The image to make: total bytes, block size and bytes-per-inode ratio for mke2fs -i.</summary>
public sealed record Ext2Geometry(long ImageBytes, int BlockSize, long Inodes, long BytesPerInode,
    long DataBlocks, long HeadroomBytes)
{
    public const int LostAndFoundBlocks = 12;
    private const int GroupDescriptorSize = 32;
    private const int ReservedInodes = 11;
    private const long LargeImage = 256L << 20;

    public long Blocks => ImageBytes / BlockSize;

    public static Ext2Geometry For(TreeUsage usage, Headroom headroom, int? blockSize = null)
    {
        var bs = blockSize ?? (usage.ApparentBytes > LargeImage ? 4096 : 1024);
        var data = usage.BlocksFor(bs) + LostAndFoundBlocks * 1024 / bs;
        var headroomBytes = headroom.For(data * bs);
        var headroomBlocks = (headroomBytes + bs - 1) / bs;
        // Room for new files in the headroom too: one inode per 4 KiB of it, at least 64.
        var inodes = usage.Inodes + ReservedInodes + 1 + Math.Max(64, headroomBytes / 4096);

        var blocks = data + headroomBlocks;
        for (var i = 0; i < 10; i++)
        {
            var next = data + headroomBlocks + Overhead(blocks, inodes, bs);
            if (next == blocks) break;
            blocks = next;
        }
        var ratio = Math.Max(bs, blocks * bs / inodes);
        return new Ext2Geometry(blocks * bs, bs, inodes, ratio, data, headroomBytes);
    }

    private static long Overhead(long blocks, long inodes, int bs)
    {
        long firstDataBlock = bs == 1024 ? 1 : 0;
        long perGroup = 8L * bs;
        var groups = Math.Max(1, (blocks - firstDataBlock + perGroup - 1) / perGroup);
        var perInodeBlock = bs / TreeUsage.InodeSize;
        var inodesPerGroup = RoundUp((inodes + groups - 1) / groups, Math.Max(8, perInodeBlock));
        var inodeTableBlocks = inodesPerGroup * TreeUsage.InodeSize / bs;
        var descriptorBlocks = (groups * GroupDescriptorSize + bs - 1) / bs;
        return firstDataBlock + SparseGroups(groups) * (1 + descriptorBlocks) + groups * (2 + inodeTableBlocks);
    }

    /// <summary>Groups holding a superblock copy with sparse_super: 0, 1 and powers of 3, 5 and 7.</summary>
    public static long SparseGroups(long groups)
    {
        long count = Math.Min(groups, 2);
        foreach (var b in new long[] { 3, 5, 7 })
            for (var p = b; p < groups; p *= b) count++;
        return count;
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}
