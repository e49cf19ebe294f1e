// The few ext2 superblock fields preinit reads after mkfs: counts and free space
// (offsets from Documentation/filesystems/ext2.rst, "Superblock"). Pure: reads a span.
using System.Buffers.Binary;

namespace Preinit.Core.Image;

public readonly record struct Ext2Superblock(uint InodesCount, uint BlocksCount, uint FreeBlocksCount,
    uint FreeInodesCount, int BlockSize)
{
    public const int Offset = 1024, Size = 1024;
    private const ushort Magic = 0xEF53;

    private static class Field
    {
        public const int InodesCount = 0, BlocksCount = 4, FreeBlocksCount = 12, FreeInodesCount = 16,
            LogBlockSize = 24, Magic = 56;
    }

    public long FreeBytes => (long)FreeBlocksCount * BlockSize;

    /// <summary>Reads a superblock (the 1024 bytes at offset 1024 of the device); false if it is not ext2/3/4.</summary>
    public static bool TryRead(ReadOnlySpan<byte> superblock, out Ext2Superblock result)
    {
        result = default;
        if (superblock.Length < Size || BinaryPrimitives.ReadUInt16LittleEndian(superblock[Field.Magic..]) != Magic)
            return false;
        var log = BinaryPrimitives.ReadUInt32LittleEndian(superblock[Field.LogBlockSize..]);
        if (log > 6) return false;
        result = new Ext2Superblock(
            BinaryPrimitives.ReadUInt32LittleEndian(superblock[Field.InodesCount..]),
            BinaryPrimitives.ReadUInt32LittleEndian(superblock[Field.BlocksCount..]),
            BinaryPrimitives.ReadUInt32LittleEndian(superblock[Field.FreeBlocksCount..]),
            BinaryPrimitives.ReadUInt32LittleEndian(superblock[Field.FreeInodesCount..]),
            1024 << (int)log);
        return true;
    }
}
