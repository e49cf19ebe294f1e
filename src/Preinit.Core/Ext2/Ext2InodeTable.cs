// The writer's inode table, written through a window of up to 64 blocks that only moves forward.
// Inodes mostly complete in increasing order; a directory's completes when the walk gets to it, after
// inodes numbered above it, and one that has fallen behind the window is written on its own.
namespace Preinit.Core.Ext2;

internal sealed class Ext2InodeTable(Ext2Layout layout, Ext2BlockOutput output)
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
            output.WriteAt(Offset(group, index), inode);
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
        output.WriteAt(Offset(_group, _start), _window.AsSpan(0, bytes));
        Array.Clear(_window, 0, bytes);
        _end = 0;
    }

    private long Offset(int group, long index) => layout.InodeTable(group) * layout.BlockSize + index * Ext2Disk.InodeSize;
}
