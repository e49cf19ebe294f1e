// Maps an inode's logical blocks to physical ones the classic ext2 way: 12 direct pointers in
// i_block, then a single, a double and a triple indirect block (Documentation/filesystems/ext2.rst,
// "Inodes"). Blocks arrive in increasing logical order; logical blocks never mapped are holes and
// cost nothing, not even an indirect block. Each indirect block is reserved just before the first
// data block it maps (as the kernel and mke2fs place them) and written once it is complete, so at
// most one block per level is held in memory.
using System.Buffers.Binary;

namespace Preinit.Core.Ext2;

internal interface IBlockSink
{
    /// <summary>The next free block, in increasing order.</summary>
    uint Allocate();

    void WriteBlock(uint block, ReadOnlySpan<byte> data);
}

internal sealed class Ext2BlockMap
{
    private const int MaxDepth = 3;

    private readonly IBlockSink _sink;
    private readonly int _blockSize;
    private readonly int _perBlock;
    private readonly uint[] _slots = new uint[Ext2Disk.BlockSlots];
    private readonly Node[] _open = new Node[MaxDepth];
    private int _openDepth;     // levels in _open that belong to _openSlot
    private int _openSlot = -1;
    private long _lastLogical = -1;

    public long DataBlocks { get; private set; }
    public long IndirectBlocks { get; private set; }
    public ReadOnlySpan<uint> Slots => _slots;

    public Ext2BlockMap(IBlockSink sink, int blockSize)
    {
        _sink = sink;
        _blockSize = blockSize;
        _perBlock = blockSize / 4;
        for (var i = 0; i < MaxDepth; i++) _open[i] = new Node(blockSize);
    }

    /// <summary>Starts the map of another inode (the map is reused: its buffers are per level, not per inode).</summary>
    public void Reset()
    {
        if (_openDepth != 0) throw new InvalidOperationException("the previous inode's map was not finished");
        Array.Clear(_slots);
        _openSlot = -1;
        _lastLogical = -1;
        DataBlocks = IndirectBlocks = 0;
    }

    /// <summary>Data and indirect blocks to map <paramref name="dataBlocks"/> blocks without holes.</summary>
    public static long IndirectBlocksFor(long dataBlocks, int blockSize)
    {
        long per = blockSize / 4, rest = dataBlocks - Ext2Disk.DirectBlocks, count = 0;
        if (rest <= 0) return 0;
        count += 1;                                   // single indirect
        rest -= per;
        if (rest <= 0) return count;
        var inDouble = Math.Min(rest, per * per);
        count += 1 + Ceil(inDouble, per);             // double indirect and its children
        rest -= inDouble;
        if (rest <= 0) return count;
        return count + 1 + Ceil(rest, per * per) + Ceil(rest, per); // triple, its two lower levels
    }

    /// <summary>Logical blocks the 15 pointers reach.</summary>
    public static long MaxBlocks(int blockSize)
    {
        long per = blockSize / 4;
        return Ext2Disk.DirectBlocks + per + per * per + per * per * per;
    }

    private static long Ceil(long a, long b) => (a + b - 1) / b;

    /// <summary>Allocates the physical block for <paramref name="logical"/> (after any indirect blocks it needs) and returns it.</summary>
    public uint Map(long logical)
    {
        if (logical <= _lastLogical) throw new InvalidOperationException($"block {logical} mapped out of order");
        if (logical >= MaxBlocks(_blockSize))
            throw new InvalidOperationException($"logical block {logical} is beyond the triple indirect block");
        _lastLogical = logical;

        if (logical < Ext2Disk.DirectBlocks)
        {
            var direct = _sink.Allocate();
            _slots[logical] = direct;
            DataBlocks++;
            return direct;
        }

        // Which slot, how deep, and the index at each level.
        var rest = logical - Ext2Disk.DirectBlocks;
        int slot, depth;
        long per = _perBlock;
        if (rest < per) { slot = Ext2Disk.IndirectSlot; depth = 1; }
        else if ((rest -= per) < per * per) { slot = Ext2Disk.DoubleIndirectSlot; depth = 2; }
        else { rest -= per * per; slot = Ext2Disk.TripleIndirectSlot; depth = 3; }

        if (slot != _openSlot)
        {
            FlushFrom(0);
            _openSlot = slot;
        }

        // Node at level d covers per^(depth-d) logical blocks; its ordinal identifies it within the slot.
        for (var d = 0; d < depth; d++)
        {
            var span = Pow(per, depth - d);
            var ordinal = rest / span;
            var node = _open[d];
            if (d < _openDepth && node.Ordinal == ordinal) continue;
            FlushFrom(d);
            node.Reset(ordinal, _sink.Allocate());
            IndirectBlocks++;
            if (d == 0) _slots[slot] = node.Block;
            else _open[d - 1].Set((int)(ordinal % per), node.Block);
            _openDepth = d + 1;
        }

        var data = _sink.Allocate();
        _open[depth - 1].Set((int)(rest % per), data);
        DataBlocks++;
        return data;
    }

    /// <summary>Writes the indirect blocks still open. The map is complete after this.</summary>
    public void Finish() => FlushFrom(0);

    private void FlushFrom(int level)
    {
        for (var d = _openDepth - 1; d >= level; d--) _sink.WriteBlock(_open[d].Block, _open[d].Buffer);
        _openDepth = Math.Min(_openDepth, level);
    }

    private static long Pow(long b, int e)
    {
        long r = 1;
        for (var i = 0; i < e; i++) r *= b;
        return r;
    }

    private sealed class Node(int blockSize)
    {
        public readonly byte[] Buffer = new byte[blockSize];
        public long Ordinal;
        public uint Block;

        public void Reset(long ordinal, uint block)
        {
            Ordinal = ordinal;
            Block = block;
            Array.Clear(Buffer);
        }

        public void Set(int index, uint block) => BinaryPrimitives.WriteUInt32LittleEndian(Buffer.AsSpan(4 * index), block);
    }
}
