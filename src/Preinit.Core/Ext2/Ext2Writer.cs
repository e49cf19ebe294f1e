// Writes a whole ext2 image for a counted tree and its layout without mkfs, mount or privileges, by
// walking the tree a second time (Ext2Walk, the same order as the count): when a directory is
// listed its blocks are written at once (its children are numbered right then), then its inode,
// then the inodes and content of the files in it; its subdirectories follow, depth first. Data is
// allocated from one cursor that only moves forward, skipping each group's metadata, so it goes out
// in increasing block order (consecutive blocks gathered into one write); file content is streamed
// chunk by chunk and all-zero blocks become holes. The inode table is written through a small
// window, and the bitmaps, group descriptors and superblocks (which follow from the final cursor)
// last, both by seeking back: the output must be seekable. If the second walk does not add up to
// the count (the tree changed in between), writing stops with the place named. Memory: one content
// chunk, one block per indirect level, the inode-table window, the group descriptors, and the walk's
// directory at hand and pending subdirectories; nothing per entry of the tree.
using System.Buffers.Binary;
using System.Text;

namespace Preinit.Core.Ext2;

/// <summary>UUID (16 bytes as printed, RFC 4122 order), the time for the superblock and a lost+found the writer adds, and the label (at most 16 bytes of UTF-8).
/// The same tree, layout and options give the same bytes.</summary>
public sealed record Ext2WriteOptions(ReadOnlyMemory<byte> Uuid, long Time, string Label = "");

public sealed record Ext2WriteResult(long ImageBytes, int BlockSize, long Blocks, long FreeBlocks, long Inodes,
    long FreeInodes, long Entries, long Files, long ContentBytes, long HoleBlocks)
{
    public long FreeBytes => FreeBlocks * BlockSize;
}

public static class Ext2Writer
{
    private const int ChunkBytes = 256 * 1024;
    /// <summary>Consecutive blocks are gathered up to this many bytes before they are written.</summary>
    private const int GatherBytes = 128 * 1024;

    /// <param name="output">Seekable and writable; it is truncated and ends exactly <see cref="Ext2Layout.ImageBytes"/> long,
    /// with every block not written left as a hole.</param>
    /// <exception cref="Ext2TreeException">Content that cannot be read, a file whose size changed, or a tree that no longer
    /// adds up to its count, named.</exception>
    public static Ext2WriteResult Write(Ext2Tree tree, Ext2Layout layout, Ext2WriteOptions options, Stream output)
    {
        if (!output.CanSeek || !output.CanWrite) throw new ArgumentException("the image stream must be seekable and writable", nameof(output));
        if (options.Uuid.Length != 16) throw new ArgumentException("the UUID must be 16 bytes", nameof(options));
        var label = Encoding.UTF8.GetBytes(options.Label);
        if (label.Length > Ext2Superblock.VolumeNameMax) throw new ArgumentException($"label '{options.Label}' is longer than 16 bytes", nameof(options));
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

    private sealed class Session : Ext2Walk, IBlockSink
    {
        private readonly Ext2Tree _tree;
        private readonly Ext2Layout _layout;
        private readonly Ext2WriteOptions _options;
        private readonly Stream _out;
        private readonly int _bs;
        private readonly InodeTable _inodes;
        private readonly int[] _directoriesPerGroup;
        private readonly byte[] _block;
        private byte[]? _chunk;
        private readonly byte[] _gathered = new byte[GatherBytes];
        private readonly uint[] _slots = new uint[Ext2Disk.BlockSlots];
        private readonly byte[] _inode = new byte[Ext2Disk.InodeSize];
        private readonly Ext2BlockMap _map;
        private readonly DirectoryBlocks _directory;
        /// <summary>Names written so far of each file with hard links.</summary>
        private readonly Dictionary<ulong, int> _names = [];

        private int _group;          // allocation cursor: group and next block
        private long _next, _groupEnd;
        private long _gatheredStart; // first block of the gathered run, and its length in bytes
        private int _gatheredBytes;
        private long _contentBytes, _holes;

        public Session(Ext2Tree tree, Ext2Layout layout, Ext2WriteOptions options, Stream output) : base(tree.Source)
        {
            _tree = tree;
            _layout = layout;
            _options = options;
            _out = output;
            _bs = layout.BlockSize;
            _block = new byte[_bs];
            _inodes = new InodeTable(layout, output);
            _directoriesPerGroup = new int[layout.Groups];
            _map = new Ext2BlockMap(this, _bs);
            _directory = new DirectoryBlocks(this, _map, _block);
            _next = layout.DataStart(0);
            _groupEnd = layout.GroupStart(0) + layout.BlocksInGroup(0);
        }

        public uint Allocate()
        {
            while (_next >= _groupEnd)
            {
                if (++_group >= _layout.Groups)
                    throw new InvalidOperationException($"the image's {_layout.Blocks} blocks are full: the layout does not match the tree");
                _next = _layout.DataStart(_group);
                _groupEnd = _layout.GroupStart(_group) + _layout.BlocksInGroup(_group);
            }
            return (uint)_next++;
        }

        /// <summary>Gathers a block that continues the pending run; anything else writes the run first.</summary>
        public void WriteBlock(uint block, ReadOnlySpan<byte> data)
        {
            if (_gatheredBytes > 0 && block == _gatheredStart + _gatheredBytes / _bs && _gatheredBytes + data.Length <= _gathered.Length)
            {
                data.CopyTo(_gathered.AsSpan(_gatheredBytes));
                _gatheredBytes += data.Length;
                return;
            }
            WriteGathered();
            if (data.Length > _gathered.Length / 2)
            {
                WriteAt((long)block * _bs, data);
                return;
            }
            data.CopyTo(_gathered);
            (_gatheredStart, _gatheredBytes) = (block, data.Length);
        }

        private void WriteGathered()
        {
            if (_gatheredBytes == 0) return;
            WriteAt(_gatheredStart * _bs, _gathered.AsSpan(0, _gatheredBytes));
            _gatheredBytes = 0;
        }

        private void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            if (_out.Position != offset) _out.Position = offset;
            _out.Write(data);
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
                throw Ext2TreeException.Changed(directory.Entry.Path, $"{Summary.BlocksFor(_bs)} blocks by here, {_layout.TreeBlocks} counted in all");
            WriteDirectory(directory, links, children);
            if (directory.IsRoot && !TreeHasLostAndFound) WriteAddedLostAndFound();
            foreach (var child in children)
                if (child.IsFirstName && child.Entry.Type != Ext2FileType.Directory)
                    WriteInode(child.Inode, child.Entry, child.Entry.LinkId is { } id ? _tree.Links[id].Names : 1);
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
            PutInode(directory.Inode, directory.Entry, (ulong)count * (ulong)_bs, links, _map.Slots);
        }

        /// <summary>Starts a directory's blocks with "." and "..", and counts it in its group.</summary>
        private DirectoryBlocks StartDirectory(uint self, uint parent)
        {
            _map.Reset();
            _directory.Reset();
            _directory.Add(self, "."u8, Ext2FileType.Directory);
            _directory.Add(parent, ".."u8, Ext2FileType.Directory);
            _directoriesPerGroup[(self - 1) / _layout.InodesPerGroup]++;
            return _directory;
        }

        /// <summary>The inode of anything but a directory, with its content for a regular file or a slow symlink.</summary>
        private void WriteInode(uint ino, Ext2TreeEntry e, int links)
        {
            var map = _map;
            map.Reset();
            ulong size = 0;
            Array.Clear(_slots);
            var slotsFromMap = true;
            switch (e.Type)
            {
                case Ext2FileType.Regular:
                    WriteContent(e, map);
                    size = (ulong)e.Size;
                    break;
                case Ext2FileType.Symlink:
                    var target = Encoding.UTF8.GetBytes(e.SymlinkTarget!);
                    size = (ulong)target.Length;
                    if (target.Length >= _bs) throw new Ext2TreeException(e.Path, $"symlink target of {target.Length} bytes does not fit one {_bs}-byte block");
                    if (target.Length <= Ext2Disk.FastSymlinkMax)
                    {
                        // Fast symlink: the target, NUL-padded, in the 60 bytes of i_block.
                        Span<byte> raw = stackalloc byte[4 * Ext2Disk.BlockSlots];
                        raw.Clear();
                        target.CopyTo(raw);
                        for (var i = 0; i < Ext2Disk.BlockSlots; i++) _slots[i] = BinaryPrimitives.ReadUInt32LittleEndian(raw[(4 * i)..]);
                        slotsFromMap = false;
                    }
                    else
                    {
                        Array.Clear(_block);
                        target.CopyTo(_block, 0);
                        WriteBlock(map.Map(0), _block);
                    }
                    break;
                case Ext2FileType.CharDevice or Ext2FileType.BlockDevice:
                    Ext2Disk.EncodeDevice(e.DeviceMajor, e.DeviceMinor, _slots);
                    slotsFromMap = false;
                    break;
                default: // fifo, socket: nothing but the inode
                    slotsFromMap = false;
                    break;
            }
            map.Finish();
            PutInode(ino, e, size, links, slotsFromMap ? map.Slots : _slots);
        }

        /// <summary>The inode of <paramref name="e"/>, with the blocks the map has just given it.</summary>
        private void PutInode(uint ino, Ext2TreeEntry e, ulong size, int links, ReadOnlySpan<uint> slots)
        {
            var sectors = (_map.DataBlocks + _map.IndirectBlocks) * (_bs / 512);
            new Ext2Inode((ushort)(Ext2Disk.ModeType(e.Type) | e.Permissions), e.Uid, e.Gid, size,
                Ext2Disk.Seconds(e.AccessTime), Ext2Disk.Seconds(e.ChangeTime), Ext2Disk.Seconds(e.ModifyTime),
                (ushort)links, (uint)sectors).Write(_inode, slots);
            _inodes.Put(ino, _inode);
        }

        /// <summary>lost+found as mke2fs makes it: root's, mode 0700, a few empty blocks so e2fsck can reconnect files without allocating.</summary>
        private void WriteAddedLostAndFound()
        {
            var count = StartDirectory(Ext2Disk.LostAndFoundInode, Ext2Disk.RootInode).Finish(Ext2TreeSummary.LostAndFoundBlocks(_bs));
            _map.Finish();
            var entry = new Ext2TreeEntry(Ext2Tree.LostAndFoundName, Ext2FileType.Directory)
            {
                Permissions = 0b111_000_000, AccessTime = _options.Time, ChangeTime = _options.Time, ModifyTime = _options.Time,
            };
            PutInode(Ext2Disk.LostAndFoundInode, entry, (ulong)count * (ulong)_bs, 2, _map.Slots);
        }

        /// <summary>Streams a regular file's content: exactly Size bytes, all-zero blocks left as holes,
        /// contiguous blocks written with one call.</summary>
        private void WriteContent(Ext2TreeEntry e, Ext2BlockMap map)
        {
            _chunk ??= new byte[ChunkBytes];
            var chunk = _chunk;
            using (var content = Ext2Content.Open(Source, e))
            {
                long offset = 0, logical = 0;
                while (offset < e.Size)
                {
                    var want = (int)Math.Min(ChunkBytes, e.Size - offset);
                    Ext2Content.ReadChunk(e, content, offset, chunk.AsSpan(0, want));
                    var blocks = (want + _bs - 1) / _bs;
                    chunk.AsSpan(want, blocks * _bs - want).Clear();
                    var runStart = -1;    // first block of the pending run in the chunk
                    uint runPhysical = 0;
                    var runLength = 0;
                    for (var b = 0; b < blocks; b++, logical++)
                    {
                        var data = chunk.AsSpan(b * _bs, _bs);
                        if (!data.ContainsAnyExcept((byte)0))
                        {
                            _holes++;
                            continue;
                        }
                        var physical = map.Map(logical);
                        if (runLength > 0 && runStart + runLength == b && runPhysical + runLength == physical) { runLength++; continue; }
                        if (runLength > 0) WriteBlock(runPhysical, chunk.AsSpan(runStart * _bs, runLength * _bs));
                        (runStart, runPhysical, runLength) = (b, physical, 1);
                    }
                    if (runLength > 0) WriteBlock(runPhysical, chunk.AsSpan(runStart * _bs, runLength * _bs));
                    offset += want;
                }
                Ext2Content.CheckEnd(e, content, chunk);
                _contentBytes += e.Size;
            }
        }

        /// <summary>Bitmaps, descriptors and superblocks from the final cursor: group by group, in increasing order.</summary>
        public void WriteMetadata(byte[] label)
        {
            WriteGathered();
            _inodes.Flush();
            var groups = _layout.Groups;
            var descriptors = new byte[_layout.DescriptorBlocks * _bs];
            long freeBlocks = 0, freeInodes = 0;
            var usedInodes = _tree.Summary.UsedInodes;
            for (var g = 0; g < groups; g++)
            {
                var (blocks, inodes) = (GroupFreeBlocks(g), GroupUsedInodes(g, usedInodes));
                freeBlocks += blocks;
                freeInodes += _layout.InodesPerGroup - inodes;
                new Ext2GroupDescriptor((uint)_layout.BlockBitmap(g), (uint)_layout.InodeBitmap(g), (uint)_layout.InodeTable(g),
                    (ushort)blocks, (ushort)(_layout.InodesPerGroup - inodes), (ushort)_directoriesPerGroup[g])
                    .Write(descriptors.AsSpan(g * Ext2Disk.GroupDescriptorSize));
            }
            FreeBlocks = freeBlocks;
            FreeInodes = freeInodes;

            var superblock = new byte[Ext2Superblock.Size];
            for (var g = 0; g < groups; g++)
            {
                if (_layout.HasSuperblock(g))
                {
                    new Ext2Superblock((uint)_layout.Inodes, (uint)_layout.Blocks, (uint)freeBlocks, (uint)freeInodes,
                        (uint)_layout.FirstDataBlock, _layout.LogBlockSize, (uint)_layout.BlocksPerGroup, (uint)_layout.InodesPerGroup,
                        Ext2Disk.Seconds(_options.Time), (ushort)g, Ext2Superblock.Feature.IncompatFiletype,
                        Ext2Superblock.Feature.RoCompatSparseSuper | Ext2Superblock.Feature.RoCompatLargeFile, _options.Uuid, label).Write(superblock);
                    // The primary sits 1024 bytes into the device whatever the block size; copies open their group.
                    WriteAt(g == 0 ? Ext2Superblock.Offset : _layout.GroupStart(g) * _bs, superblock);
                    WriteAt((_layout.GroupStart(g) + 1) * _bs, descriptors);
                }
                WriteBitmap(_layout.BlockBitmap(g), _layout.GroupMetadataBlocks(g) + GroupUsedDataBlocks(g), _layout.BlocksInGroup(g));
                WriteBitmap(_layout.InodeBitmap(g), GroupUsedInodes(g, usedInodes), _layout.InodesPerGroup);
            }
            WriteGathered();
        }

        public long FreeBlocks { get; private set; }
        public long FreeInodes { get; private set; }

        /// <summary>Data blocks in use in a group: allocation is one forward cursor, so groups before it are full and the rest empty.</summary>
        private long GroupUsedDataBlocks(int g) =>
            g < _group ? _layout.BlocksInGroup(g) - _layout.GroupMetadataBlocks(g)
            : g == _group ? _next - _layout.DataStart(g)
            : 0;

        private long GroupFreeBlocks(int g) => _layout.BlocksInGroup(g) - _layout.GroupMetadataBlocks(g) - GroupUsedDataBlocks(g);

        /// <summary>Inodes 1 to <paramref name="usedInodes"/> are all in use (reserved, lost+found, then the tree without gaps).</summary>
        private long GroupUsedInodes(int g, long usedInodes) =>
            Math.Clamp(usedInodes - (long)g * _layout.InodesPerGroup, 0, _layout.InodesPerGroup);

        /// <summary>A bitmap block: the first <paramref name="used"/> bits set, and the padding past <paramref name="valid"/> set too, as e2fsck expects.</summary>
        private void WriteBitmap(long block, long used, long valid)
        {
            Array.Clear(_block);
            SetBits(_block, 0, used);
            SetBits(_block, valid, 8L * _bs);
            WriteBlock((uint)block, _block);
        }

        private static void SetBits(byte[] bitmap, long from, long to)
        {
            for (var bit = from; bit < to;)
            {
                if ((bit & 7) == 0 && to - bit >= 8)
                {
                    var bytes = (int)((to - bit) / 8);
                    bitmap.AsSpan((int)(bit / 8), bytes).Fill(0xFF);
                    bit += 8L * bytes;
                    continue;
                }
                bitmap[bit / 8] |= (byte)(1 << (int)(bit & 7));
                bit++;
            }
        }

        public Ext2WriteResult Result() => new(_layout.ImageBytes, _bs, _layout.Blocks, FreeBlocks, _layout.Inodes, FreeInodes,
            _tree.Summary.Entries, _tree.Summary.Files, _contentBytes, _holes);
    }

    /// <summary>Fills directory blocks entry by entry (an entry never spans blocks; the last one of a block
    /// reaches its end) and hands each full block to the inode's block map. Reused directory after directory.</summary>
    private sealed class DirectoryBlocks(IBlockSink sink, Ext2BlockMap map, byte[] block)
    {
        private int _at, _last = -1;
        private long _logical;

        public void Reset() => (_at, _last, _logical) = (0, -1, 0);

        public void Add(uint inode, ReadOnlySpan<byte> name, Ext2FileType type)
        {
            var rec = Ext2DirEntry.RecordLength(name.Length);
            if (_at + rec > block.Length) Emit();
            if (_at == 0) Array.Clear(block);
            Ext2DirEntry.Write(block, _at, inode, rec, name, type);
            _last = _at;
            _at += rec;
        }

        /// <summary>Writes the last block, then empty ones up to <paramref name="minimumBlocks"/>; returns the block count.</summary>
        public long Finish(int minimumBlocks)
        {
            if (_at > 0) Emit();
            while (_logical < minimumBlocks)
            {
                Array.Clear(block);
                Ext2DirEntry.Write(block, 0, 0, block.Length, [], null);
                _last = 0;
                _at = block.Length;
                Emit();
            }
            return _logical;
        }

        private void Emit()
        {
            Ext2DirEntry.SetRecordLength(block, _last, block.Length - _last);
            sink.WriteBlock(map.Map(_logical++), block);
            _at = 0;
        }
    }

    /// <summary>The inode table, written through a window of up to 64 blocks that only moves forward. Inodes mostly
    /// complete in increasing order; a directory's completes when the walk gets to it, after inodes numbered above
    /// it, and one that has fallen behind the window is written on its own.</summary>
    private sealed class InodeTable(Ext2Layout layout, Stream output)
    {
        private readonly byte[] _window = new byte[Math.Min(64, layout.InodeTableBlocks) * layout.BlockSize];
        private readonly int _perBlock = layout.BlockSize / Ext2Disk.InodeSize;
        private int _group = -1;
        private long _start;        // index in the group of the window's first inode
        private int _end;           // bytes of the window in use

        public void Put(uint ino, ReadOnlySpan<byte> inode)
        {
            var group = (int)((ino - 1) / layout.InodesPerGroup);
            long index = (ino - 1) % layout.InodesPerGroup;
            if (group < _group || (group == _group && index < _start))
            {
                WriteAt(Offset(group, index), inode);
                return;
            }
            if (group != _group || index >= _start + _window.Length / Ext2Disk.InodeSize)
            {
                Flush();
                (_group, _start) = (group, index - index % _perBlock);
            }
            var at = (int)(index - _start) * Ext2Disk.InodeSize;
            inode.CopyTo(_window.AsSpan(at));
            _end = Math.Max(_end, at + Ext2Disk.InodeSize);
        }

        public void Flush()
        {
            if (_end == 0) return;
            var bytes = (_end + layout.BlockSize - 1) / layout.BlockSize * layout.BlockSize;
            WriteAt(Offset(_group, _start), _window.AsSpan(0, bytes));
            Array.Clear(_window, 0, bytes);
            _end = 0;
        }

        private long Offset(int group, long index) => layout.InodeTable(group) * layout.BlockSize + index * Ext2Disk.InodeSize;

        private void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            if (output.Position != offset) output.Position = offset;
            output.Write(data);
        }
    }
}
