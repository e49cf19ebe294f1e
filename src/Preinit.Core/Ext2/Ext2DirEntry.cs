// struct ext2_dir_entry_2 of e2fsprogs lib/ext2fs/ext2_fs.h, with its field table: directory entries as
// the writer packs them into blocks.
using System.Buffers.Binary;

namespace Preinit.Core.Ext2;

/// <summary>struct ext2_dir_entry_2: inode, rec_len, name_len, file_type, name padded to 4 bytes.</summary>
public static class Ext2DirEntry
{
    private static class Field
    {
        public const int Inode = 0, RecordLength = 4, NameLength = 6, FileType = 7, Name = 8;
    }

    /// <summary>EXT2_DIR_REC_LEN: the header and the name rounded up to 4 bytes.</summary>
    public static int RecordLength(int nameBytes) => (Field.Name + nameBytes + 3) & ~3;

    public static void Write(Span<byte> block, int at, uint inode, int recordLength, ReadOnlySpan<byte> name, Ext2FileType? type)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(block[(at + Field.Inode)..], inode);
        BinaryPrimitives.WriteUInt16LittleEndian(block[(at + Field.RecordLength)..], (ushort)recordLength);
        block[at + Field.NameLength] = (byte)name.Length;
        block[at + Field.FileType] = (byte)(type ?? 0);
        name.CopyTo(block[(at + Field.Name)..]);
    }

    /// <summary>Stretches the entry at <paramref name="at"/> to <paramref name="recordLength"/> (the last one of a block
    /// reaches its end).</summary>
    public static void SetRecordLength(Span<byte> block, int at, int recordLength) =>
        BinaryPrimitives.WriteUInt16LittleEndian(block[(at + Field.RecordLength)..], (ushort)recordLength);
}
