// struct ext2_group_desc of e2fsprogs lib/ext2fs/ext2_fs.h (32 bytes, no 64bit feature), with its field table.
// All fields little-endian; fields not named here stay zero.
using System.Buffers.Binary;

namespace Preinit.Core.Ext2;

/// <summary>One block group's descriptor.</summary>
public readonly record struct Ext2GroupDescriptor(uint BlockBitmap, uint InodeBitmap, uint InodeTable,
    ushort FreeBlocks, ushort FreeInodes, ushort Directories)
{
    private static class Field
    {
        public const int BlockBitmap = 0, InodeBitmap = 4, InodeTable = 8, FreeBlocksCount = 12,
            FreeInodesCount = 14, UsedDirsCount = 16;
    }

    public void Write(Span<byte> d)
    {
        d[..Ext2Disk.GroupDescriptorSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(d[Field.BlockBitmap..], BlockBitmap);
        BinaryPrimitives.WriteUInt32LittleEndian(d[Field.InodeBitmap..], InodeBitmap);
        BinaryPrimitives.WriteUInt32LittleEndian(d[Field.InodeTable..], InodeTable);
        BinaryPrimitives.WriteUInt16LittleEndian(d[Field.FreeBlocksCount..], FreeBlocks);
        BinaryPrimitives.WriteUInt16LittleEndian(d[Field.FreeInodesCount..], FreeInodes);
        BinaryPrimitives.WriteUInt16LittleEndian(d[Field.UsedDirsCount..], Directories);
    }
}
