// What a directory tree will occupy in ext2, counted while the tree is walked once:
// inodes, and data blocks for 1 KiB and 4 KiB blocks (file data, indirect blocks,
// directory blocks, slow symlinks), following the ext2 layout (Documentation/filesystems/ext2.rst).
namespace Preinit.Core.Image;

public sealed class TreeUsage
{
    public const int InodeSize = 128;
    private const int DirectBlocks = 12, FastSymlinkMax = 59;

    public long Inodes { get; private set; }
    public long Files { get; private set; }
    public long ApparentBytes { get; private set; }
    public long Blocks1K { get; private set; }
    public long Blocks4K { get; private set; }

    public long BlocksFor(int blockSize) => blockSize == 1024 ? Blocks1K : Blocks4K;

    public void AddRegularFile(long size)
    {
        Inodes++; Files++;
        ApparentBytes += size;
        Blocks1K += FileBlocks(size, 1024);
        Blocks4K += FileBlocks(size, 4096);
    }

    /// <summary>A directory whose entry names have these UTF-8 lengths (without "." and "..").</summary>
    public void AddDirectory(IEnumerable<int> nameLengths)
    {
        Inodes++;
        long bytes = 12 + 12; // "." and ".."
        var longest = 0L;
        foreach (var n in nameLengths)
        {
            bytes += EntrySize(n);
            longest = Math.Max(longest, EntrySize(n));
        }
        Blocks1K += DirectoryBlocks(bytes, longest, 1024);
        Blocks4K += DirectoryBlocks(bytes, longest, 4096);
    }

    public void AddSymlink(int targetBytes)
    {
        Inodes++;
        if (targetBytes > FastSymlinkMax) { Blocks1K++; Blocks4K++; }
    }

    /// <summary>Device nodes, fifos and sockets: an inode and no blocks.</summary>
    public void AddSpecial() => Inodes++;

    /// <summary>A hard link to an inode already counted: its name is in some directory's count.</summary>
    public void AddHardLink() { }

    private static long EntrySize(int nameLength) => 8 + ((nameLength + 3) & ~3);

    /// <summary>Entries do not span blocks: allow for the slack the longest entry can leave per block.</summary>
    private static long DirectoryBlocks(long bytes, long longest, int blockSize)
    {
        var perBlock = blockSize - longest + 1;
        var blocks = Math.Max(1, (bytes + perBlock - 1) / perBlock);
        return blocks + IndirectBlocks(blocks, blockSize);
    }

    public static long FileBlocks(long size, int blockSize)
    {
        var data = (size + blockSize - 1) / blockSize;
        return data + IndirectBlocks(data, blockSize);
    }

    /// <summary>Single, double and triple indirect blocks needed to map <paramref name="data"/> blocks.</summary>
    public static long IndirectBlocks(long data, int blockSize)
    {
        long perBlock = blockSize / 4;
        var rest = data - DirectBlocks;
        if (rest <= 0) return 0;
        long count = 1; // single indirect
        rest -= perBlock;
        if (rest <= 0) return count;
        var doubleData = Math.Min(rest, perBlock * perBlock);
        count += 1 + (doubleData + perBlock - 1) / perBlock;
        rest -= doubleData;
        if (rest <= 0) return count;
        var secondLevel = (rest + perBlock * perBlock - 1) / (perBlock * perBlock);
        return count + 1 + secondLevel + (rest + perBlock - 1) / perBlock;
    }
}
