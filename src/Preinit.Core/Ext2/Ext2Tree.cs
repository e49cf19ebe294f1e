// A checked tree ready to write: entries validated (names ext2 can hold, parents before children,
// hard links of one type), inode numbers assigned in list order (root 2, lost+found 11, then 12...),
// directory children linked, and the exact blocks everything needs at each block size.
using System.Text;

namespace Preinit.Core.Ext2;

public sealed class Ext2Tree
{
    public const int FirstTreeInode = 12;

    internal Ext2TreeEntry[] Entries { get; }
    /// <summary>Per entry: its inode number.</summary>
    internal uint[] InodeOf { get; }
    /// <summary>Per entry: its directory's entry index (-1 for the root), first child and next sibling (-1 for none), in list order.</summary>
    internal int[] Parent { get; }
    internal int[] FirstChild { get; }
    internal int[] NextSibling { get; }
    /// <summary>Per entry (meaningful on an inode's first name): names of the inode, or 2 + subdirectories for a directory.</summary>
    internal int[] Links { get; }
    /// <summary>Inodes 12 and up: the entry index of each inode's first name.</summary>
    internal int[] InodeEntries { get; }
    /// <summary>The root's "lost+found" directory from the tree (entry index), or -1 when the writer adds one.</summary>
    internal int LostAndFound { get; }

    public Ext2TreeSummary Summary { get; }

    private Ext2Tree(Ext2TreeEntry[] entries, uint[] inodeOf, int[] parentOf, int[] firstChild, int[] nextSibling, int[] links,
        int[] inodeEntries, int lostAndFound, Ext2TreeSummary summary)
    {
        Entries = entries;
        InodeOf = inodeOf;
        Parent = parentOf;
        FirstChild = firstChild;
        NextSibling = nextSibling;
        Links = links;
        InodeEntries = inodeEntries;
        LostAndFound = lostAndFound;
        Summary = summary;
    }

    /// <exception cref="Ext2TreeException">An entry ext2 cannot hold, named.</exception>
    public static Ext2Tree From(IEnumerable<Ext2TreeEntry> source)
    {
        var entries = source as Ext2TreeEntry[] ?? source.ToArray();
        if (entries.Length == 0 || entries[0].Path.Length != 0 || entries[0].Type != Ext2FileType.Directory)
            throw new Ext2TreeException("", "the list must start with the root directory (path \"\")");

        var n = entries.Length;
        var inodeOf = new uint[n];
        var firstChild = new int[n];
        var nextSibling = new int[n];
        var lastChild = new int[n];
        var parentOf = new int[n];
        parentOf[0] = -1;
        var links = new int[n];
        Array.Fill(firstChild, -1);
        Array.Fill(nextSibling, -1);
        var directories = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var linked = new Dictionary<ulong, int>();
        var inodeEntries = new List<int>();
        var lostAndFound = -1;
        var summary = new Ext2TreeSummary();

        inodeOf[0] = Ext2Disk.RootInode;
        links[0] = 2;
        CheckEntry(entries[0]);
        var next = (uint)FirstTreeInode;
        for (var i = 1; i < n; i++)
        {
            var e = entries[i];
            CheckEntry(e);
            var slash = e.Path.LastIndexOf('/');
            var parentPath = slash < 0 ? "" : e.Path[..slash];
            if (!directories.TryGetValue(parentPath, out var parent))
                throw new Ext2TreeException(e.Path, $"its directory '{parentPath}' is not listed before it");
            parentOf[i] = parent;
            if (lastChild[parent] == 0) firstChild[parent] = i; else nextSibling[lastChild[parent]] = i;
            lastChild[parent] = i;

            if (e.Type == Ext2FileType.Directory)
            {
                if (!directories.TryAdd(e.Path, i)) throw new Ext2TreeException(e.Path, "listed twice");
                if (++links[parent] > Ext2Disk.LinkMax)
                    throw new Ext2TreeException(entries[parent].Path, $"more than {Ext2Disk.LinkMax - 2} subdirectories (ext2's link limit)");
                links[i] = 2;
                if (parent == 0 && e.Path == LostAndFoundName)
                {
                    lostAndFound = i;
                    inodeOf[i] = Ext2Disk.LostAndFoundInode;
                    continue;
                }
            }
            else if (parent == 0 && e.Path == LostAndFoundName)
                throw new Ext2TreeException(e.Path, "is not a directory; e2fsck needs /lost+found to be one");

            if (e.LinkId is { } id && e.Type != Ext2FileType.Directory)
            {
                if (linked.TryGetValue(id, out var first))
                {
                    if (entries[first].Type != e.Type)
                        throw new Ext2TreeException(e.Path, $"hard link to '{entries[first].Path}' but of another file type");
                    if (++links[first] > Ext2Disk.LinkMax)
                        throw new Ext2TreeException(e.Path, $"more than {Ext2Disk.LinkMax} hard links to one file");
                    inodeOf[i] = inodeOf[first];
                    summary.AddName();
                    continue;
                }
                linked[id] = i;
            }
            inodeOf[i] = next++;
            links[i] = e.Type == Ext2FileType.Directory ? 2 : 1;
            inodeEntries.Add(i);
            summary.AddInode(e);
        }

        // Root's own figures, then every directory's blocks; the root also lists the writer's lost+found.
        summary.AddRootAndLostAndFound(lostAndFound < 0);
        if (lostAndFound < 0) links[0]++;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (entries[i].Type != Ext2FileType.Directory) continue;
            names.Clear();
            var packer = Ext2TreeSummary.DirectoryPacker.Start();
            if (i == 0 && lostAndFound < 0) packer.Add(LostAndFoundName.Length);
            for (var c = firstChild[i]; c >= 0; c = nextSibling[c])
            {
                var name = entries[c].Name;
                if (!names.Add(name)) throw new Ext2TreeException(entries[c].Path, "listed twice");
                packer.Add(Encoding.UTF8.GetByteCount(name));
            }
            summary.AddDirectoryBlocks(packer, isLostAndFound: i == lostAndFound);
        }

        return new Ext2Tree(entries, inodeOf, parentOf, firstChild, nextSibling, links, inodeEntries.ToArray(), lostAndFound, summary);
    }

    public const string LostAndFoundName = "lost+found";

    private static void CheckEntry(Ext2TreeEntry e)
    {
        if (e.Path.Length != 0)
        {
            var name = e.Name;
            if (name.Length == 0 || name is "." or ".." || e.Path.StartsWith('/') || name.Contains('\0'))
                throw new Ext2TreeException(e.Path, "not a valid relative path");
            if (Encoding.UTF8.GetByteCount(name) > Ext2Disk.MaxNameLength)
                throw new Ext2TreeException(e.Path, $"name longer than {Ext2Disk.MaxNameLength} bytes");
        }
        if (e.Permissions > 0xFFF) throw new Ext2TreeException(e.Path, $"mode 0{Convert.ToString(e.Permissions, 8)} has bits beyond 07777");
        switch (e.Type)
        {
            case Ext2FileType.Regular when e.Size < 0:
                throw new Ext2TreeException(e.Path, "negative size");
            case Ext2FileType.Regular when e.Size > 0 && e.OpenContent is null:
                throw new Ext2TreeException(e.Path, "has content but no way to read it");
            case Ext2FileType.Symlink when string.IsNullOrEmpty(e.SymlinkTarget) || e.SymlinkTarget.Contains('\0'):
                throw new Ext2TreeException(e.Path, "symlink without a valid target");
            case Ext2FileType.Symlink when Encoding.UTF8.GetByteCount(e.SymlinkTarget) >= Ext2TreeSummary.MaxBlockSize:
                throw new Ext2TreeException(e.Path, $"symlink target of {Encoding.UTF8.GetByteCount(e.SymlinkTarget)} bytes; ext2 holds at most {Ext2TreeSummary.MaxBlockSize - 1}");
            case < Ext2FileType.Regular or > Ext2FileType.Symlink:
                throw new Ext2TreeException(e.Path, $"unknown file type {(int)e.Type}");
        }
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

    /// <summary>Blocks mke2fs gives a new lost+found: 16 KiB or 12 direct blocks, whichever is fewer (mke2fs create_lost_and_found).</summary>
    public static int LostAndFoundBlocks(int blockSize) => Math.Min(Ext2Disk.DirectBlocks, Math.Max(2, 16384 / blockSize));

    public static int Index(int blockSize) => Array.IndexOf(BlockSizes, blockSize) is var i and >= 0 ? i
        : throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "ext2 block size must be 1024, 2048 or 4096");

    internal void AddName() => Entries++;

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
