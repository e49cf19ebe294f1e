// Writes a whole ext2 image for a counted tree and its layout without mkfs, mount or privileges, by
// walking the tree a second time (Ext2Walk, the same order as the count): when a directory is
// listed its blocks are written at once (its children are numbered right then), then its inode,
// then the inodes and content of the files in it; its subdirectories follow, depth first. The pieces:
// Ext2BlockOutput allocates data from one cursor that only moves forward, skipping each group's
// metadata, so it goes out in increasing block order (consecutive blocks gathered into one write);
// Ext2DirectoryBlocks packs directory entries; Ext2InodeWriter encodes inodes into the table (written
// through a small window, Ext2InodeTable) and writes what they own, file content streamed chunk by
// chunk with all-zero blocks left as holes (Ext2FileContent); Ext2GroupMetadata writes the bitmaps,
// group descriptors and superblocks, which follow from the final cursor, last. Both the table and the
// metadata are written by seeking back: the output must be seekable. If the second walk does not add
// up to the count (the tree changed in between), writing stops with the place named. Memory: one
// content chunk, one block per indirect level, the inode-table window, the group descriptors, and the
// walk's directory at hand and pending subdirectories; nothing per entry of the tree.
using System.Text;

namespace Preinit.Core.Ext2;

/// <summary>UUID (16 bytes as printed, RFC 4122 order), the time for the superblock and a lost+found the writer adds,
/// and the label (at most 16 bytes of UTF-8).
/// The same tree, layout and options give the same bytes.</summary>
public sealed record Ext2WriteOptions(ReadOnlyMemory<byte> Uuid, long Time, string Label = "");

public sealed record Ext2WriteResult(long ImageBytes, int BlockSize, long Blocks, long FreeBlocks, long Inodes,
    long FreeInodes, long Entries, long Files, long ContentBytes, long HoleBlocks)
{
    public long FreeBytes => FreeBlocks * BlockSize;
}

public static class Ext2Writer
{
    /// <param name="output">Seekable and writable; it is truncated and ends exactly <see cref="Ext2Layout.ImageBytes"/> long,
    /// with every block not written left as a hole.</param>
    /// <exception cref="Ext2TreeException">Content that cannot be read, a file whose size changed, or a tree that no longer
    /// adds up to its count, named.</exception>
    public static Ext2WriteResult Write(Ext2Tree tree, Ext2Layout layout, Ext2WriteOptions options, Stream output)
    {
        if (!output.CanSeek || !output.CanWrite)
            throw new ArgumentException("the image stream must be seekable and writable", nameof(output));
        if (options.Uuid.Length != 16) throw new ArgumentException("the UUID must be 16 bytes", nameof(options));
        var label = Encoding.UTF8.GetBytes(options.Label);
        if (label.Length > Ext2Superblock.VolumeNameMax)
            throw new ArgumentException($"label '{options.Label}' is longer than 16 bytes", nameof(options));
        if (layout.TreeBlocks != tree.Summary.BlocksFor(layout.BlockSize) || layout.UsedInodes != tree.Summary.UsedInodes)
            throw new ArgumentException("the layout was made for another tree", nameof(layout));

        output.SetLength(0);
        output.SetLength(layout.ImageBytes);
        var writer = new Session(tree, layout, options, output);
        writer.Run();
        writer.CheckSameTree();
        writer.WriteMetadata(label);
        output.Flush();
        return writer.Result();
    }

    /// <summary>The second walk: a directory's blocks and inode when it is listed, then the files in it. The blocks go
    /// through Ext2BlockOutput, inodes and file content through Ext2InodeWriter, the rest at the end through
    /// Ext2GroupMetadata.</summary>
    private sealed class Session : Ext2Walk
    {
        private readonly Ext2Tree _tree;
        private readonly Ext2Layout _layout;
        private readonly Ext2WriteOptions _options;
        private readonly Ext2BlockOutput _out;
        private readonly int _bs;
        private readonly Ext2BlockMap _map;
        private readonly Ext2DirectoryBlocks _directory;
        private readonly Ext2FileContent _content;
        private readonly Ext2InodeWriter _inodes;
        private readonly int[] _directoriesPerGroup;
        /// <summary>Names written so far of each file with hard links.</summary>
        private readonly Dictionary<ulong, int> _names = [];
        private long _freeBlocks, _freeInodes;

        public Session(Ext2Tree tree, Ext2Layout layout, Ext2WriteOptions options, Stream output) : base(tree.Source)
        {
            _tree = tree;
            _layout = layout;
            _options = options;
            _bs = layout.BlockSize;
            _out = new Ext2BlockOutput(layout, output);
            _map = new Ext2BlockMap(_out, _bs);
            _directory = new Ext2DirectoryBlocks(_out, _map, _bs);
            _content = new Ext2FileContent(tree.Source, _out, _bs);
            _inodes = new Ext2InodeWriter(layout, _out, _map, _content);
            _directoriesPerGroup = new int[layout.Groups];
        }

        protected override Child Linked(Ext2TreeEntry entry, ulong id)
        {
            if (!_tree.Links.TryGetValue(id, out var link)) throw Ext2TreeException.Changed(entry.Path, "it has hard links now");
            if (_names.TryGetValue(id, out var names))
            {
                _names[id] = names + 1;
                return new Child(entry, link.Inode, IsFirstName: false);
            }
            var inode = NewInode();
            if (inode != link.Inode) throw Ext2TreeException.Changed(entry.Path, $"it comes as inode {inode}, counted as {link.Inode}");
            _names[id] = 1;
            return new Child(entry, inode, IsFirstName: true);
        }

        /// <summary>A directory of the second walk: its blocks and inode, then every file in it. Nothing is written before
        /// the count so far is checked against the first walk's, so a tree that grew fails here, naming the directory.</summary>
        protected override void Visit(Directory directory, int links, List<Child> children)
        {
            if (LastInode > _tree.Summary.UsedInodes)
                throw Ext2TreeException.Changed(directory.Entry.Path,
                    $"{LastInode - Ext2Disk.FirstInode} inodes by here, {_tree.Summary.UsedInodes - Ext2Disk.FirstInode} counted in all");
            if (Summary.BlocksFor(_bs) > _layout.TreeBlocks)
                throw Ext2TreeException.Changed(directory.Entry.Path,
                    $"{Summary.BlocksFor(_bs)} blocks by here, {_layout.TreeBlocks} counted in all");
            WriteDirectory(directory, links, children);
            if (directory.IsRoot && !TreeHasLostAndFound) WriteAddedLostAndFound();
            foreach (var child in children)
                if (child.IsFirstName && child.Entry.Type != Ext2FileType.Directory)
                    _inodes.WriteFile(child.Inode, child.Entry, child.Entry.LinkId is { } id ? _tree.Links[id].Names : 1);
        }

        /// <summary>After the walk: it must add up to the count the layout was made for.</summary>
        public void CheckSameTree()
        {
            if (Summary.DifferenceFrom(_tree.Summary) is { } difference) throw Ext2TreeException.Changed("", difference);
            foreach (var (id, link) in _tree.Links)
                if (_names.GetValueOrDefault(id) is var names && names != link.Names)
                    throw Ext2TreeException.Changed(link.FirstPath, $"{names} names of the file now, {link.Names} counted before");
        }

        /// <summary>Writes a directory's blocks (".", "..", the added lost+found in the root, then its children in list
        /// order), then its inode.</summary>
        private void WriteDirectory(Directory directory, int links, List<Child> children)
        {
            var blocks = StartDirectory(directory.Inode, directory.Parent);
            if (directory.IsRoot && !TreeHasLostAndFound)
                blocks.Add(Ext2Disk.LostAndFoundInode, "lost+found"u8, Ext2FileType.Directory);
            Span<byte> name = stackalloc byte[Ext2Disk.MaxNameLength];
            foreach (var child in children)
            {
                var length = Encoding.UTF8.GetBytes(child.Entry.Name, name);
                blocks.Add(child.Inode, name[..length], child.Entry.Type);
            }
            var count = blocks.Finish(directory.Inode == Ext2Disk.LostAndFoundInode ? Ext2TreeSummary.LostAndFoundBlocks(_bs) : 1);
            _map.Finish();
            _inodes.Put(directory.Inode, directory.Entry, (ulong)count * (ulong)_bs, links, _map.Slots);
        }

        /// <summary>Starts a directory's blocks with "." and "..", and counts it in its group.</summary>
        private Ext2DirectoryBlocks StartDirectory(uint self, uint parent)
        {
            _map.Reset();
            _directory.Reset();
            _directory.Add(self, "."u8, Ext2FileType.Directory);
            _directory.Add(parent, ".."u8, Ext2FileType.Directory);
            _directoriesPerGroup[(self - 1) / _layout.InodesPerGroup]++;
            return _directory;
        }

        /// <summary>lost+found as mke2fs makes it: root's, mode 0700, a few empty blocks so e2fsck can reconnect files
        /// without allocating.</summary>
        private void WriteAddedLostAndFound()
        {
            var count = StartDirectory(Ext2Disk.LostAndFoundInode, Ext2Disk.RootInode).Finish(Ext2TreeSummary.LostAndFoundBlocks(_bs));
            _map.Finish();
            var entry = new Ext2TreeEntry(Ext2Tree.LostAndFoundName, Ext2FileType.Directory)
            {
                Permissions = 0b111_000_000, AccessTime = _options.Time, ChangeTime = _options.Time, ModifyTime = _options.Time,
            };
            _inodes.Put(Ext2Disk.LostAndFoundInode, entry, (ulong)count * (ulong)_bs, 2, _map.Slots);
        }

        /// <summary>Bitmaps, descriptors and superblocks, once every block and inode is out.</summary>
        public void WriteMetadata(byte[] label)
        {
            _out.Flush();
            _inodes.Flush();
            (_freeBlocks, _freeInodes) =
                Ext2GroupMetadata.Write(_layout, _out, _tree.Summary.UsedInodes, _directoriesPerGroup, _options, label);
        }

        public Ext2WriteResult Result() => new(_layout.ImageBytes, _bs, _layout.Blocks, _freeBlocks, _layout.Inodes, _freeInodes,
            _tree.Summary.Entries, _tree.Summary.Files, _content.ContentBytes, _content.HoleBlocks);
    }
}
