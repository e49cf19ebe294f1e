// The writer's inodes: what goes in i_block (the block map's pointers, a fast symlink's target, a
// device number), the size and the sectors, encoded (Ext2Inode) into the inode table; and for anything
// but a directory, the blocks it owns: a regular file's content, a slow symlink's target.
using System.Buffers.Binary;
using System.Text;

namespace Preinit.Core.Ext2;

internal sealed class Ext2InodeWriter(Ext2Layout layout, Ext2BlockOutput output, Ext2BlockMap map, Ext2FileContent content)
{
    private readonly Ext2InodeTable _table = new(layout, output);
    private readonly int _bs = layout.BlockSize;
    private readonly uint[] _slots = new uint[Ext2Disk.BlockSlots];
    private readonly byte[] _inode = new byte[Ext2Disk.InodeSize];
    private byte[]? _block;

    /// <summary>The inode of anything but a directory, with its content for a regular file or a slow symlink.</summary>
    public void WriteFile(uint ino, Ext2TreeEntry e, int links)
    {
        map.Reset();
        ulong size = 0;
        Array.Clear(_slots);
        var slotsFromMap = true;
        switch (e.Type)
        {
            case Ext2FileType.Regular:
                content.Write(e, map);
                size = (ulong)e.Size;
                break;
            case Ext2FileType.Symlink:
                var target = Encoding.UTF8.GetBytes(e.SymlinkTarget!);
                size = (ulong)target.Length;
                if (target.Length >= _bs)
                    throw new Ext2TreeException(e.Path, $"symlink target of {target.Length} bytes does not fit one {_bs}-byte block");
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
                    _block ??= new byte[_bs];
                    Array.Clear(_block);
                    target.CopyTo(_block, 0);
                    output.WriteBlock(map.Map(0), _block);
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
        Put(ino, e, size, links, slotsFromMap ? map.Slots : _slots);
    }

    /// <summary>The inode of <paramref name="e"/>, with the blocks the map has just given it.</summary>
    public void Put(uint ino, Ext2TreeEntry e, ulong size, int links, ReadOnlySpan<uint> slots)
    {
        var sectors = (map.DataBlocks + map.IndirectBlocks) * (_bs / 512);
        new Ext2Inode((ushort)(Ext2Disk.ModeType(e.Type) | e.Permissions), e.Uid, e.Gid, size,
            Ext2Disk.Seconds(e.AccessTime), Ext2Disk.Seconds(e.ChangeTime), Ext2Disk.Seconds(e.ModifyTime),
            (ushort)links, (uint)sectors).Write(_inode, slots);
        _table.Put(ino, _inode);
    }

    public void Flush() => _table.Flush();
}
