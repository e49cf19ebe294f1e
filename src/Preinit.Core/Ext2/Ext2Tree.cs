// A tree counted and checked by a first walk (Ext2Walk), ready to be sized (Ext2Layout) and written
// (Ext2Writer, which walks it again) or copied into a filesystem mke2fs made (CopyTo): the exact
// blocks everything needs at each block size, the inode count, and for files with hard links their
// inode number and how many names they have in the tree. Nothing else is kept: memory does not grow with the number of entries.
using System.Text;

namespace Preinit.Core.Ext2;

public sealed class Ext2Tree
{
    public const int FirstTreeInode = 12;
    public const string LostAndFoundName = "lost+found";

    internal IExt2TreeSource Source { get; }
    /// <summary>Files with hard links (by <see cref="Ext2TreeEntry.LinkId"/>): the inode of their first name and the names
    /// they have.</summary>
    internal IReadOnlyDictionary<ulong, HardLink> Links { get; }

    public Ext2TreeSummary Summary { get; }

    private Ext2Tree(IExt2TreeSource source, IReadOnlyDictionary<ulong, HardLink> links, Ext2TreeSummary summary)
    {
        Source = source;
        Links = links;
        Summary = summary;
    }

    /// <summary>A tree given as a list of entries in pre-order (see <see cref="Ext2TreeEntry"/>).</summary>
    /// <exception cref="Ext2TreeException">An entry ext2 cannot hold, named.</exception>
    public static Ext2Tree From(IEnumerable<Ext2TreeEntry> entries) => Scan(new Ext2EntryList(entries));

    /// <summary>Walks <paramref name="source"/> once, checking and counting; the writer walks it again.</summary>
    /// <exception cref="Ext2TreeException">An entry ext2 cannot hold, named.</exception>
    public static Ext2Tree Scan(IExt2TreeSource source)
    {
        var count = new Count(source);
        count.Run();
        return new Ext2Tree(source, count.Links, count.Summary);
    }

    /// <summary>Walks the tree again, in the writer's order, making every name in <paramref name="target"/>.</summary>
    /// <exception cref="Ext2TreeException">An entry ext2 cannot hold, named.</exception>
    public void CopyTo(IExt2CopyTarget target) => new Ext2TreeCopy(this, target).Copy();

    internal sealed class HardLink(uint inode, Ext2FileType type, string firstPath)
    {
        public uint Inode { get; } = inode;
        public Ext2FileType Type { get; } = type;
        public string FirstPath { get; } = firstPath;
        public int Names { get; set; } = 1;
    }

    /// <summary>The first walk: numbers hard-linked files and counts their names.</summary>
    private sealed class Count(IExt2TreeSource source) : Ext2Walk(source)
    {
        public Dictionary<ulong, HardLink> Links { get; } = [];

        protected override Child Linked(Ext2TreeEntry entry, ulong id)
        {
            if (Links.TryGetValue(id, out var link))
            {
                if (link.Type != entry.Type)
                    throw new Ext2TreeException(entry.Path, $"hard link to '{link.FirstPath}' but of another file type");
                if (++link.Names > Ext2Disk.LinkMax)
                    throw new Ext2TreeException(entry.Path, $"more than {Ext2Disk.LinkMax} hard links to one file");
                return new Child(entry, link.Inode, IsFirstName: false);
            }
            link = new HardLink(NewInode(), entry.Type, entry.Path);
            Links.Add(id, link);
            return new Child(entry, link.Inode, IsFirstName: true);
        }

        protected override void Visit(Directory directory, int links, List<Child> children) { }
    }
}

/// <summary>What a tree needs in ext2, exactly, for each block size: the input of <see cref="Ext2Layout"/>.</summary>
public sealed class Ext2TreeSummary
{
    public static readonly int[] BlockSizes = [1024, 2048, 4096];
    public const int MaxBlockSize = 4096;

    private readonly long[] _blocks = new long[BlockSizes.Length];

    /// <summary>Names in the tree (hard links counted per name), the root included.</summary>
    public long Entries { get; private set; }
    /// <summary>Inodes the tree uses, with the reserved ones 1-10 and lost+found (11): the highest inode number in use.</summary>
    public long UsedInodes { get; private set; } = Ext2Disk.FirstInode;
    public long Files { get; private set; }
    public long Directories { get; private set; }
    /// <summary>Bytes of regular-file content (each inode once).</summary>
    public long ApparentBytes { get; private set; }
    public long LargestFile { get; private set; }
    public string? LargestFilePath { get; private set; }
    public int LongestSymlink { get; private set; }
    public string? LongestSymlinkPath { get; private set; }

    /// <summary>Blocks for data, indirect blocks, directories, slow symlinks and lost+found, if no file has holes.</summary>
    public long BlocksFor(int blockSize) => _blocks[Index(blockSize)];

    /// <summary>Blocks mke2fs gives a new lost+found: 16 KiB or 12 direct blocks, whichever is fewer (mke2fs
    /// create_lost_and_found).</summary>
    public static int LostAndFoundBlocks(int blockSize) => Math.Min(Ext2Disk.DirectBlocks, Math.Max(2, 16384 / blockSize));

    public static int Index(int blockSize) => Array.IndexOf(BlockSizes, blockSize) is var i and >= 0 ? i
        : throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "ext2 block size must be 1024, 2048 or 4096");

    internal void AddName() => Entries++;

    /// <summary>How this count differs from <paramref name="before"/>, in words; null when both add up to the same tree.</summary>
    internal string? DifferenceFrom(Ext2TreeSummary before)
    {
        (string What, long Now, long Before)[] figures =
        [
            ("names", Entries, before.Entries), ("directories", Directories, before.Directories),
            ("inodes", UsedInodes - Ext2Disk.FirstInode, before.UsedInodes - Ext2Disk.FirstInode), ("files", Files, before.Files),
            ("bytes of file content", ApparentBytes, before.ApparentBytes),
            ("1 KiB blocks", _blocks[0], before._blocks[0]), ("2 KiB blocks", _blocks[1], before._blocks[1]),
            ("4 KiB blocks", _blocks[2], before._blocks[2]),
        ];
        foreach (var (what, now, then) in figures)
            if (now != then) return $"{now} {what} now, {then} counted before";
        return null;
    }

    internal void AddInode(Ext2TreeEntry e)
    {
        Entries++;
        UsedInodes++;
        switch (e.Type)
        {
            case Ext2FileType.Regular:
                Files++;
                ApparentBytes += e.Size;
                if (e.Size > LargestFile || LargestFilePath is null) (LargestFile, LargestFilePath) = (e.Size, e.Path);
                for (var i = 0; i < BlockSizes.Length; i++) _blocks[i] += FileBlocks(e.Size, BlockSizes[i]);
                break;
            case Ext2FileType.Symlink:
                var length = Encoding.UTF8.GetByteCount(e.SymlinkTarget!);
                if (length > LongestSymlink) (LongestSymlink, LongestSymlinkPath) = (length, e.Path);
                if (length > Ext2Disk.FastSymlinkMax)
                    for (var i = 0; i < BlockSizes.Length; i++) _blocks[i]++;
                break;
            case Ext2FileType.Directory:
                Directories++;
                break;
        }
    }

    internal void AddRootAndLostAndFound(bool writerAddsLostAndFound)
    {
        Entries++;
        Directories++;
        if (!writerAddsLostAndFound) { Entries++; Directories++; return; }
        for (var i = 0; i < BlockSizes.Length; i++) _blocks[i] += LostAndFoundBlocks(BlockSizes[i]);
        Directories++;
    }

    internal void AddDirectoryBlocks(DirectoryPacker packer, bool isLostAndFound)
    {
        for (var i = 0; i < BlockSizes.Length; i++)
        {
            var blocks = packer.Blocks(i);
            if (isLostAndFound) blocks = Math.Max(blocks, LostAndFoundBlocks(BlockSizes[i]));
            _blocks[i] += blocks + Ext2BlockMap.IndirectBlocksFor(blocks, BlockSizes[i]);
        }
    }

    public static long FileBlocks(long size, int blockSize)
    {
        var data = (size + blockSize - 1) / blockSize;
        return data + Ext2BlockMap.IndirectBlocksFor(data, blockSize);
    }

    /// <summary>Packs directory entries into blocks the way the writer does: in order, an entry never
    /// spans blocks, "." and ".." open the first block. Counts for every block size at once.</summary>
    internal struct DirectoryPacker
    {
        private long _b0, _b1, _b2;
        private int _u0, _u1, _u2;

        public static DirectoryPacker Start()
        {
            var dots = Ext2DirEntry.RecordLength(1) + Ext2DirEntry.RecordLength(2);
            return new DirectoryPacker { _b0 = 1, _b1 = 1, _b2 = 1, _u0 = dots, _u1 = dots, _u2 = dots };
        }

        public void Add(int nameBytes)
        {
            var rec = Ext2DirEntry.RecordLength(nameBytes);
            Step(ref _b0, ref _u0, rec, BlockSizes[0]);
            Step(ref _b1, ref _u1, rec, BlockSizes[1]);
            Step(ref _b2, ref _u2, rec, BlockSizes[2]);
        }

        public readonly long Blocks(int index) => index switch { 0 => _b0, 1 => _b1, _ => _b2 };

        private static void Step(ref long blocks, ref int used, int rec, int blockSize)
        {
            if (used + rec > blockSize) { blocks++; used = rec; }
            else used += rec;
        }
    }
}
