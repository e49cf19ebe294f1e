// struct ext2_inode of e2fsprogs lib/ext2fs/ext2_fs.h, the classic 128 bytes with the Linux osd2, with its
// field table. All fields little-endian; fields not named here stay zero.
using System.Buffers.Binary;

namespace Preinit.Core.Ext2;

/// <summary>struct ext2_inode (128 bytes, Linux osd2). <paramref name="Sectors"/> is i_blocks: 512-byte units.</summary>
public readonly record struct Ext2Inode(ushort Mode, uint Uid, uint Gid, ulong Size, uint AccessTime, uint ChangeTime,
    uint ModifyTime, ushort Links, uint Sectors)
{
    private static class Field
    {
        public const int Mode = 0, UidLow = 2, SizeLow = 4, AccessTime = 8, ChangeTime = 12, ModifyTime = 16,
            GidLow = 24, LinksCount = 26, Blocks = 28, Block = 40, SizeHigh = 108, UidHigh = 120, GidHigh = 122;
        // Left zero: i_dtime 20, i_flags 32, osd1 36, i_generation 100, i_file_acl 104, i_faddr 112.
    }

    /// <param name="blocks">The 15 words of i_block: block pointers, a fast symlink's target or a device number.</param>
    public void Write(Span<byte> inode, ReadOnlySpan<uint> blocks)
    {
        inode[..Ext2Disk.InodeSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(inode[Field.Mode..], Mode);
        BinaryPrimitives.WriteUInt16LittleEndian(inode[Field.UidLow..], (ushort)Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(inode[Field.SizeLow..], (uint)Size);
        BinaryPrimitives.WriteUInt32LittleEndian(inode[Field.AccessTime..], AccessTime);
        BinaryPrimitives.WriteUInt32LittleEndian(inode[Field.ChangeTime..], ChangeTime);
        BinaryPrimitives.WriteUInt32LittleEndian(inode[Field.ModifyTime..], ModifyTime);
        BinaryPrimitives.WriteUInt16LittleEndian(inode[Field.GidLow..], (ushort)Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(inode[Field.LinksCount..], Links);
        BinaryPrimitives.WriteUInt32LittleEndian(inode[Field.Blocks..], Sectors);
        for (var i = 0; i < Ext2Disk.BlockSlots; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(inode[(Field.Block + 4 * i)..], blocks[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(inode[Field.SizeHigh..], (uint)(Size >> 32)); // i_size_high, with large_file
        BinaryPrimitives.WriteUInt16LittleEndian(inode[Field.UidHigh..], (ushort)(Uid >> 16));  // osd2.linux2.l_i_uid_high
        BinaryPrimitives.WriteUInt16LittleEndian(inode[Field.GidHigh..], (ushort)(Gid >> 16));  // osd2.linux2.l_i_gid_high
    }
}
