// The ext2 revision 1 structures the writer fills, with every field at a named byte offset:
// struct ext2_super_block, ext2_group_desc, ext2_inode and ext2_dir_entry_2 of e2fsprogs
// lib/ext2fs/ext2_fs.h (the kernel's Documentation/filesystems/ext2.rst describes the same layout).
// Pure encoders into spans; all fields little-endian. Fields not named here stay zero.
using System.Buffers.Binary;

namespace Preinit.Core.Ext2;

public static class Ext2Disk
{
    public const ushort Magic = 0xEF53;
    public const int SuperblockOffset = 1024, SuperblockSize = 1024;
    public const int GroupDescriptorSize = 32;   // EXT2_MIN_DESC_SIZE: no 64bit feature

    /// <summary>The classic 128-byte inode (EXT2_GOOD_OLD_INODE_SIZE), as mke2fs makes for small filesystems and
    /// preinit's mke2fs path uses (-I 128): seconds only, signed 32-bit times.</summary>
    public const int InodeSize = 128;

    public const uint RootInode = 2, LostAndFoundInode = 11;   // inode 1 (bad blocks) and 3-10 stay zero
    /// <summary>s_first_ino: inodes 1-10 are reserved (EXT2_GOOD_OLD_FIRST_INO).</summary>
    public const uint FirstInode = 11;

    public const int DirectBlocks = 12;          // EXT2_NDIR_BLOCKS
    public const int IndirectSlot = 12, DoubleIndirectSlot = 13, TripleIndirectSlot = 14, BlockSlots = 15;

    public const int MaxNameLength = 255;        // EXT2_NAME_LEN
    public const int LinkMax = 65000;            // EXT2_LINK_MAX
    /// <summary>A target this long or shorter lives in i_block (60 bytes with its NUL): a fast symlink.</summary>
    public const int FastSymlinkMax = 4 * BlockSlots - 1;

    // s_feature_* bits (ext2_fs.h "Feature set definitions").
    public const uint IncompatFiletype = 0x0002;     // EXT2_FEATURE_INCOMPAT_FILETYPE
    public const uint RoCompatSparseSuper = 0x0001;  // EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER
    public const uint RoCompatLargeFile = 0x0002;    // EXT2_FEATURE_RO_COMPAT_LARGE_FILE

    public const ushort StateValid = 1;              // EXT2_VALID_FS
    public const ushort ErrorsContinue = 1;          // EXT2_ERRORS_CONTINUE
    public const uint RevisionDynamic = 1;           // EXT2_DYNAMIC_REV
    public const uint FlagsSignedHash = 0x0001;      // EXT2_FLAGS_SIGNED_HASH, what mke2fs sets on x86

    // i_mode type bits (sys/stat.h; the same in ext2 inodes).
    public const ushort ModeFifo = 0x1000, ModeCharDevice = 0x2000, ModeDirectory = 0x4000, ModeBlockDevice = 0x6000,
        ModeRegular = 0x8000, ModeSymlink = 0xA000, ModeSocket = 0xC000;

    public static ushort ModeType(Ext2FileType type) => type switch
    {
        Ext2FileType.Regular => ModeRegular,
        Ext2FileType.Directory => ModeDirectory,
        Ext2FileType.CharDevice => ModeCharDevice,
        Ext2FileType.BlockDevice => ModeBlockDevice,
        Ext2FileType.Fifo => ModeFifo,
        Ext2FileType.Socket => ModeSocket,
        Ext2FileType.Symlink => ModeSymlink,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Groups holding a superblock and descriptor copy with sparse_super: 0, 1 and powers of 3, 5 and 7.</summary>
    public static bool HasSuperblockCopy(long group)
    {
        if (group <= 1) return true;
        return IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);
    }

    private static bool IsPowerOf(long value, long b)
    {
        while (value % b == 0) value /= b;
        return value == 1;
    }

    /// <summary>How the kernel's ext2 stores a device number in i_block (fs/ext2/inode.c, ext2_write_inode):
    /// major and minor below 256 use the old 16-bit encoding in i_block[0]; anything larger the new
    /// 32-bit one (new_encode_dev: minor low byte, major, minor high bits) in i_block[1].</summary>
    public static void EncodeDevice(uint major, uint minor, Span<uint> blocks)
    {
        blocks.Clear();
        if (major < 256 && minor < 256)
            blocks[0] = (major << 8) | minor;
        else
            blocks[1] = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
    }

    /// <summary>The inverse, as the kernel reads it back (old encoding when i_block[0] is set).</summary>
    public static (uint Major, uint Minor) DecodeDevice(ReadOnlySpan<uint> blocks)
    {
        if (blocks[0] != 0) return ((blocks[0] >> 8) & 0xff, blocks[0] & 0xff);
        var dev = blocks[1];
        return ((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
    }

    /// <summary>Unix seconds as the classic inode keeps them: a signed 32-bit value.</summary>
    public static uint Seconds(long unixSeconds) => (uint)(int)Math.Clamp(unixSeconds, int.MinValue, int.MaxValue);
}

/// <summary>struct ext2_super_block, the fields a fresh filesystem needs.</summary>
public readonly record struct Ext2SuperblockValues(
    uint InodesCount, uint BlocksCount, uint FreeBlocksCount, uint FreeInodesCount, uint FirstDataBlock,
    int LogBlockSize, uint BlocksPerGroup, uint InodesPerGroup, uint Time, ushort BlockGroupNumber,
    uint FeatureIncompat, uint FeatureRoCompat, ReadOnlyMemory<byte> Uuid, ReadOnlyMemory<byte> VolumeName)
{
    private static class Field
    {
        public const int InodesCount = 0, BlocksCount = 4, ReservedBlocksCount = 8, FreeBlocksCount = 12,
            FreeInodesCount = 16, FirstDataBlock = 20, LogBlockSize = 24, LogClusterSize = 28,
            BlocksPerGroup = 32, ClustersPerGroup = 36, InodesPerGroup = 40, MountTime = 44, WriteTime = 48,
            MountCount = 52, MaxMountCount = 54, Magic = 56, State = 58, Errors = 60, MinorRevision = 62,
            LastCheck = 64, CheckInterval = 68, CreatorOs = 72, Revision = 76, DefaultResUid = 80,
            DefaultResGid = 82, FirstInode = 84, InodeSize = 88, BlockGroupNumber = 90, FeatureCompat = 92,
            FeatureIncompat = 96, FeatureRoCompat = 100, Uuid = 104, VolumeName = 120, LastMounted = 136,
            MkfsTime = 264, Flags = 352;
        public const int UuidLength = 16, VolumeNameLength = 16;
    }

    public const int VolumeNameMax = Field.VolumeNameLength;

    public void Write(Span<byte> sb)
    {
        sb[..Ext2Disk.SuperblockSize].Clear();
        U32(sb, Field.InodesCount, InodesCount);
        U32(sb, Field.BlocksCount, BlocksCount);
        U32(sb, Field.ReservedBlocksCount, 0);   // no blocks held back for root: the headroom is for everyone
        U32(sb, Field.FreeBlocksCount, FreeBlocksCount);
        U32(sb, Field.FreeInodesCount, FreeInodesCount);
        U32(sb, Field.FirstDataBlock, FirstDataBlock);
        U32(sb, Field.LogBlockSize, (uint)LogBlockSize);
        U32(sb, Field.LogClusterSize, (uint)LogBlockSize); // no bigalloc: a cluster is a block
        U32(sb, Field.BlocksPerGroup, BlocksPerGroup);
        U32(sb, Field.ClustersPerGroup, BlocksPerGroup);
        U32(sb, Field.InodesPerGroup, InodesPerGroup);
        U32(sb, Field.WriteTime, Time);
        U16(sb, Field.MaxMountCount, 0xFFFF);   // -1: no mount-count checks, as mke2fs does
        U16(sb, Field.Magic, Ext2Disk.Magic);
        U16(sb, Field.State, Ext2Disk.StateValid);
        U16(sb, Field.Errors, Ext2Disk.ErrorsContinue);
        U32(sb, Field.LastCheck, Time);
        U32(sb, Field.Revision, Ext2Disk.RevisionDynamic);
        U32(sb, Field.FirstInode, Ext2Disk.FirstInode);
        U16(sb, Field.InodeSize, Ext2Disk.InodeSize);
        U16(sb, Field.BlockGroupNumber, BlockGroupNumber);
        U32(sb, Field.FeatureIncompat, FeatureIncompat);
        U32(sb, Field.FeatureRoCompat, FeatureRoCompat);
        Uuid.Span[..Field.UuidLength].CopyTo(sb[Field.Uuid..]);
        VolumeName.Span.CopyTo(sb.Slice(Field.VolumeName, Field.VolumeNameLength));
        U32(sb, Field.MkfsTime, Time);
        U32(sb, Field.Flags, Ext2Disk.FlagsSignedHash);
    }

    private static void U32(Span<byte> s, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(s[at..], v);
    private static void U16(Span<byte> s, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(s[at..], v);
}

/// <summary>struct ext2_group_desc (32 bytes).</summary>
public readonly record struct Ext2GroupDescriptorValues(uint BlockBitmap, uint InodeBitmap, uint InodeTable,
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

/// <summary>struct ext2_inode (128 bytes, Linux osd2). <paramref name="Sectors"/> is i_blocks: 512-byte units.</summary>
public readonly record struct Ext2InodeValues(ushort Mode, uint Uid, uint Gid, ulong Size, uint AccessTime, uint ChangeTime,
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

    /// <summary>Stretches the entry at <paramref name="at"/> to <paramref name="recordLength"/> (the last one of a block reaches its end).</summary>
    public static void SetRecordLength(Span<byte> block, int at, int recordLength) =>
        BinaryPrimitives.WriteUInt16LittleEndian(block[(at + Field.RecordLength)..], (ushort)recordLength);
}
