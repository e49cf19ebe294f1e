// Where everything goes in an ext2 image, decided before a byte is written: block size, block and
// inode counts, and per group (Documentation/filesystems/ext2.rst, "Blocks and block groups")
// [superblock copy + group descriptors, in sparse_super groups] [block bitmap] [inode bitmap]
// [inode table] [data]. The size is exact: the tree's blocks (Ext2TreeSummary) + the headroom +
// this metadata, solved to a fixed point because more blocks can mean more groups.
using Preinit.Core.Sizes;

namespace Preinit.Core.Ext2;

public sealed class Ext2Layout
{
    /// <summary>Trees above this many bytes get 4 KiB blocks.</summary>
    public const long LargeTree = 256L << 20;
    /// <summary>Given sizes from this one up get 4 KiB blocks, as mke2fs's "small" type ends below 512 MiB.</summary>
    public const long LargeImage = 512L << 20;

    public int BlockSize { get; }
    public int LogBlockSize => System.Numerics.BitOperations.Log2((uint)BlockSize) - 10;
    /// <summary>s_blocks_count. For a given --size it may stop short of the file when a last group would not hold its own
    /// metadata.</summary>
    public long Blocks { get; }
    /// <summary>Length of the image file.</summary>
    public long ImageBytes { get; }
    public int Groups { get; }
    public int BlocksPerGroup => 8 * BlockSize;
    public int InodesPerGroup { get; }
    public long Inodes => (long)Groups * InodesPerGroup;
    public int FirstDataBlock => BlockSize == 1024 ? 1 : 0;
    public int DescriptorBlocks => (Groups * Ext2Disk.GroupDescriptorSize + BlockSize - 1) / BlockSize;
    public int InodeTableBlocks => InodesPerGroup * Ext2Disk.InodeSize / BlockSize;
    /// <summary>What the tree needs (data, indirect, directories, symlinks, lost+found) if no file has holes.</summary>
    public long TreeBlocks { get; }
    /// <summary>Inodes the tree uses, the reserved ones included.</summary>
    public long UsedInodes { get; }
    public long MetadataBlocks { get; }
    /// <summary>The free space asked for (<see cref="For"/>); 0 for a given size.</summary>
    public long HeadroomBytes { get; }
    /// <summary>Blocks free after writing a tree without holes (holes leave more).</summary>
    public long FreeBlocks => Blocks - FirstDataBlock - MetadataBlocks - TreeBlocks;
    public long FreeBytes => FreeBlocks * BlockSize;

    private Ext2Layout(int blockSize, long blocks, long imageBytes, int groups, int inodesPerGroup, long treeBlocks, long usedInodes,
        long headroomBytes = 0)
    {
        BlockSize = blockSize;
        Blocks = blocks;
        ImageBytes = imageBytes;
        Groups = groups;
        InodesPerGroup = inodesPerGroup;
        TreeBlocks = treeBlocks;
        UsedInodes = usedInodes;
        HeadroomBytes = headroomBytes;
        MetadataBlocks = Metadata(groups, inodesPerGroup, blockSize);
    }

    public long GroupStart(int group) => FirstDataBlock + (long)group * BlocksPerGroup;
    public int BlocksInGroup(int group) => (int)Math.Min(BlocksPerGroup, Blocks - GroupStart(group));
    public bool HasSuperblock(int group) => Ext2Disk.HasSuperblockCopy(group);
    public long BlockBitmap(int group) => GroupStart(group) + (HasSuperblock(group) ? 1 + DescriptorBlocks : 0);
    public long InodeBitmap(int group) => BlockBitmap(group) + 1;
    public long InodeTable(int group) => BlockBitmap(group) + 2;
    public long DataStart(int group) => InodeTable(group) + InodeTableBlocks;
    public int GroupMetadataBlocks(int group) => (int)(DataStart(group) - GroupStart(group));

    /// <summary>The smallest image holding the tree with <paramref name="headroom"/> free.</summary>
    public static Ext2Layout For(Ext2TreeSummary tree, Headroom headroom, int? blockSize = null)
    {
        var bs = ChooseBlockSize(tree, blockSize, imageBytes: null);
        var treeBlocks = tree.BlocksFor(bs);
        var headroomBytes = headroom.For(treeBlocks * bs);
        var headroomBlocks = (headroomBytes + bs - 1) / bs;
        // Room for new files in the headroom too: one inode per 4 KiB of it, at least 64.
        var inodes = tree.UsedInodes + Math.Max(64, headroomBytes / 4096);
        long firstData = bs == 1024 ? 1 : 0, perGroup = 8L * bs;

        var blocks = firstData + treeBlocks + headroomBlocks;
        for (var i = 0; ; i++)
        {
            if (i == 100) throw new InvalidOperationException("ext2 layout did not converge");
            var groups = Math.Max(Math.Max(1, Ceil(blocks - firstData, perGroup)), Ceil(inodes, MaxInodesPerGroup(bs)));
            var ipg = InodesPerGroupFor(inodes, groups, bs);
            var need = firstData + Metadata(groups, ipg, bs) + treeBlocks + headroomBlocks;
            // The last group must at least hold its own metadata (it may be all that more inodes asked for).
            var last = groups - 1;
            var minimum = firstData + last * perGroup + GroupMetadata(last, groups, ipg, bs) + 1;
            var next = Math.Max(need, minimum);
            if (next <= blocks && Ceil(blocks - firstData, perGroup) <= groups)
                return Checked(new Ext2Layout(bs, blocks, blocks * bs, (int)groups, (int)ipg, treeBlocks, tree.UsedInodes, headroomBytes));
            blocks = Math.Max(blocks, next);
        }
    }

    /// <summary>A layout for an image of exactly <paramref name="imageBytes"/>; the spare room goes to free blocks and inodes.</summary>
    /// <exception cref="Ext2SizeException">The tree does not fit; says how much it needs.</exception>
    public static Ext2Layout ForSize(Ext2TreeSummary tree, long imageBytes, int? blockSize = null)
    {
        var bs = ChooseBlockSize(tree, blockSize, imageBytes);
        if (imageBytes % bs != 0)
            throw new ArgumentException($"image size {imageBytes} is not a multiple of the {bs}-byte block size");
        var treeBlocks = tree.BlocksFor(bs);
        long firstData = bs == 1024 ? 1 : 0, perGroup = 8L * bs;
        var blocks = Math.Min(imageBytes / bs, uint.MaxValue);

        for (var attempt = 0; attempt < 2 && blocks > firstData; attempt++)
        {
            var groups = Math.Max(1, Ceil(blocks - firstData, perGroup));
            var last = groups - 1;
            var fewest = tree.UsedInodes + 64;
            if (groups > 1
                && blocks - (firstData + last * perGroup) < GroupMetadata(last, groups, InodesPerGroupFor(fewest, groups, bs), bs) + 1)
            {
                blocks = firstData + last * perGroup;   // a last group too small for its metadata is left out, as mke2fs does
                continue;
            }
            // The spare blocks with the fewest inodes, then one inode per 4 KiB of them (each costs 128 bytes of table).
            var spare = blocks - firstData - treeBlocks - Metadata(groups, InodesPerGroupFor(fewest, groups, bs), bs);
            var generous = tree.UsedInodes + Math.Max(64, spare * bs / (4096 + Ext2Disk.InodeSize));
            // A small last group bounds the inode table every group gets.
            var lastBlocks = blocks - (firstData + last * perGroup);
            var lastTable = lastBlocks - 1 - (GroupMetadata(last, groups, 0, bs));
            var perGroupCap = Math.Min(MaxInodesPerGroup(bs), Math.Max(0, lastTable) * (bs / Ext2Disk.InodeSize));
            foreach (var inodes in new[] { Math.Min(generous, groups * perGroupCap), fewest })
            {
                var ipg = InodesPerGroupFor(inodes, groups, bs);
                if (ipg > MaxInodesPerGroup(bs) || inodes < fewest) continue;
                if (blocks - (firstData + last * perGroup) < GroupMetadata(last, groups, ipg, bs) + 1) continue;
                var layout = new Ext2Layout(bs, blocks, imageBytes, (int)groups, (int)ipg, treeBlocks, tree.UsedInodes);
                if (layout.FreeBlocks >= 0) return Checked(layout);
            }
            break;
        }
        var needed = For(tree, new Headroom(0, 0), bs);
        throw new Ext2SizeException(imageBytes, needed.ImageBytes);
    }

    private static Ext2Layout Checked(Ext2Layout layout)
    {
        if (layout.Blocks > uint.MaxValue || layout.Inodes > uint.MaxValue)
            throw new ArgumentException($"an image of {layout.Blocks} blocks and {layout.Inodes} inodes is beyond ext2's 32-bit counts");
        return layout;
    }

    private static int ChooseBlockSize(Ext2TreeSummary tree, int? given, long? imageBytes)
    {
        int bs;
        if (given is { } g) { Ext2TreeSummary.Index(g); bs = g; }
        else
        {
            bs = tree.ApparentBytes > LargeTree || imageBytes >= LargeImage ? 4096 : 1024;
            // Grow the block until every slow symlink fits in one block and every file in the triple indirect.
            while (bs < Ext2TreeSummary.MaxBlockSize && !Fits(tree, bs, out _)) bs *= 2;
        }
        if (!Fits(tree, bs, out var problem)) throw new Ext2TreeException(problem.Path, problem.Message);
        return bs;
    }

    private static bool Fits(Ext2TreeSummary tree, int bs, out (string Path, string Message) problem)
    {
        problem = default;
        if (tree.LongestSymlink >= bs)
        {
            problem = (tree.LongestSymlinkPath!, $"symlink target of {tree.LongestSymlink} bytes does not fit one {bs}-byte block");
            return false;
        }
        var blocks = Ext2TreeSummary.FileBlocks(tree.LargestFile, bs);
        if ((tree.LargestFile + bs - 1) / bs > Ext2BlockMap.MaxBlocks(bs) || blocks * (bs / 512) > uint.MaxValue)
        {
            problem = (tree.LargestFilePath!, $"{tree.LargestFile} bytes is more than ext2 holds in a file with {bs}-byte blocks");
            return false;
        }
        return true;
    }

    /// <summary>One block of bitmap per group, and the free count is 16 bits (EXT2_MAX_INODES_PER_GROUP).</summary>
    private const long MinInodesPerGroup = 32;

    private static long MaxInodesPerGroup(int bs) => Math.Min(8L * bs, 65536 - bs / Ext2Disk.InodeSize);

    private static long InodesPerGroupFor(long inodes, long groups, int bs)
    {
        long perBlock = bs / Ext2Disk.InodeSize;
        // Whole inode-table blocks (a multiple of 8 too), and at least 32 so the reserved inodes and lost+found sit in group 0.
        return Ceil(Math.Max(MinInodesPerGroup, Ceil(inodes, groups)), perBlock) * perBlock;
    }

    private static long Metadata(long groups, long ipg, int bs)
    {
        long total = 0;
        for (var g = 0L; g < groups; g++) total += GroupMetadata(g, groups, ipg, bs);
        return total;
    }

    private static long GroupMetadata(long group, long groups, long ipg, int bs)
    {
        var descriptors = Ceil(groups * Ext2Disk.GroupDescriptorSize, bs);
        return (Ext2Disk.HasSuperblockCopy(group) ? 1 + descriptors : 0) + 2 + ipg * Ext2Disk.InodeSize / bs;
    }

    private static long Ceil(long a, long b) => (a + b - 1) / b;
}

/// <summary>A given image size the tree does not fit in.</summary>
public sealed class Ext2SizeException(long givenBytes, long neededBytes)
    : IOException($"{givenBytes} bytes ({ByteSize.Human(givenBytes)}) is too small: " +
        $"the tree needs at least {neededBytes} bytes ({ByteSize.Human(neededBytes)})")
{
    public long GivenBytes { get; } = givenBytes;
    public long NeededBytes { get; } = neededBytes;
}
