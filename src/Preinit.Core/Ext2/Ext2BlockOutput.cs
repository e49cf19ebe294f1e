// Where the writer's blocks go. Data blocks are allocated from one cursor that only moves forward,
// skipping each group's metadata, so they go out in increasing block order, consecutive ones gathered
// into one write; what has a fixed place (the inode table, bitmaps, descriptors, superblocks) is written
// there by seeking, so the output must be seekable. Since allocation only moves forward, the groups
// before the cursor are full of data and those after it empty: the bitmaps follow from it.
namespace Preinit.Core.Ext2;

internal sealed class Ext2BlockOutput : IBlockSink
{
    /// <summary>Consecutive blocks are gathered up to this many bytes before they are written.</summary>
    private const int GatherBytes = 128 * 1024;

    private readonly Ext2Layout _layout;
    private readonly Stream _out;
    private readonly int _bs;
    private readonly byte[] _gathered = new byte[GatherBytes];

    private int _group;          // allocation cursor: group and next block
    private long _next, _groupEnd;
    private long _gatheredStart; // first block of the gathered run, and its length in bytes
    private int _gatheredBytes;

    public Ext2BlockOutput(Ext2Layout layout, Stream output)
    {
        _layout = layout;
        _out = output;
        _bs = layout.BlockSize;
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
        Flush();
        if (data.Length > _gathered.Length / 2)
        {
            WriteAt((long)block * _bs, data);
            return;
        }
        data.CopyTo(_gathered);
        (_gatheredStart, _gatheredBytes) = (block, data.Length);
    }

    /// <summary>Writes the gathered run.</summary>
    public void Flush()
    {
        if (_gatheredBytes == 0) return;
        WriteAt(_gatheredStart * _bs, _gathered.AsSpan(0, _gatheredBytes));
        _gatheredBytes = 0;
    }

    /// <summary>Writes at a byte offset of the image, past the gathering.</summary>
    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (_out.Position != offset) _out.Position = offset;
        _out.Write(data);
    }

    /// <summary>Data blocks in use in a group: the groups before the cursor are full, the rest empty.</summary>
    public long UsedDataBlocks(int g) =>
        g < _group ? _layout.BlocksInGroup(g) - _layout.GroupMetadataBlocks(g)
        : g == _group ? _next - _layout.DataStart(g)
        : 0;
}
