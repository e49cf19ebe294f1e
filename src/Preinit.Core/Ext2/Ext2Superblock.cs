// struct ext2_super_block (e2fsprogs lib/ext2fs/ext2_fs.h; Documentation/filesystems/ext4/super.rst), the one
// table of its fields: the writer fills a fresh filesystem's, the mke2fs path reads back the counts mkfs left,
// and the prober (Probing/ExtProbe) reads the features, UUID and label. All fields little-endian; fields
// not named here stay zero.
using System.Buffers.Binary;

namespace Preinit.Core.Ext2;

/// <summary>The fields a fresh filesystem needs, as written and as read back.</summary>
public readonly record struct Ext2Superblock(
    uint InodesCount, uint BlocksCount, uint FreeBlocksCount, uint FreeInodesCount, uint FirstDataBlock,
    int LogBlockSize, uint BlocksPerGroup, uint InodesPerGroup, uint Time, ushort BlockGroupNumber,
    uint FeatureIncompat, uint FeatureRoCompat, ReadOnlyMemory<byte> Uuid, ReadOnlyMemory<byte> VolumeName)
{
    /// <summary>The primary superblock sits this far into the device whatever the block size.</summary>
    public const int Offset = 1024, Size = 1024;
    public const ushort Magic = 0xEF53;              // EXT2_SUPER_MAGIC
    /// <summary>Blocks are at most 64 KiB (s_log_block_size 6).</summary>
    public const int MaxLogBlockSize = 6;
    public const int VolumeNameMax = Field.VolumeNameLength;

    internal static class Field
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

    /// <summary>s_feature_* and s_flags bits (ext2_fs.h "Feature set definitions").</summary>
    public static class Feature
    {
        public const uint CompatHasJournal = 0x0004;      // EXT3_FEATURE_COMPAT_HAS_JOURNAL
        public const uint IncompatFiletype = 0x0002;      // EXT2_FEATURE_INCOMPAT_FILETYPE
        public const uint IncompatRecover = 0x0004;       // EXT3_FEATURE_INCOMPAT_RECOVER
        public const uint IncompatJournalDev = 0x0008;    // EXT3_FEATURE_INCOMPAT_JOURNAL_DEV
        public const uint IncompatMetaBg = 0x0010;        // EXT2_FEATURE_INCOMPAT_META_BG
        public const uint RoCompatSparseSuper = 0x0001;   // EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER
        public const uint RoCompatLargeFile = 0x0002;     // EXT2_FEATURE_RO_COMPAT_LARGE_FILE
        public const uint RoCompatBtreeDir = 0x0004;      // EXT2_FEATURE_RO_COMPAT_BTREE_DIR
        public const uint FlagSignedHash = 0x0001;        // EXT2_FLAGS_SIGNED_HASH, what mke2fs sets on x86
        public const uint FlagTestFilesys = 0x0004;       // EXT2_FLAGS_TEST_FILESYS: "OK for use by in-development code"
    }

    private const ushort StateValid = 1;              // EXT2_VALID_FS
    private const ushort ErrorsContinue = 1;          // EXT2_ERRORS_CONTINUE
    private const uint RevisionDynamic = 1;           // EXT2_DYNAMIC_REV

    public int BlockSize => 1024 << LogBlockSize;
    public long FreeBytes => (long)FreeBlocksCount * BlockSize;

    public void Write(Span<byte> sb)
    {
        sb[..Size].Clear();
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
        U16(sb, Field.Magic, Magic);
        U16(sb, Field.State, StateValid);
        U16(sb, Field.Errors, ErrorsContinue);
        U32(sb, Field.LastCheck, Time);
        U32(sb, Field.Revision, RevisionDynamic);
        U32(sb, Field.FirstInode, Ext2Disk.FirstInode);
        U16(sb, Field.InodeSize, Ext2Disk.InodeSize);
        U16(sb, Field.BlockGroupNumber, BlockGroupNumber);
        U32(sb, Field.FeatureIncompat, FeatureIncompat);
        U32(sb, Field.FeatureRoCompat, FeatureRoCompat);
        Uuid.Span[..Field.UuidLength].CopyTo(sb[Field.Uuid..]);
        VolumeName.Span.CopyTo(sb.Slice(Field.VolumeName, Field.VolumeNameLength));
        U32(sb, Field.MkfsTime, Time);
        U32(sb, Field.Flags, Feature.FlagSignedHash);
    }

    /// <summary>Reads the 1024 bytes at <see cref="Offset"/> of a device; false if they are not an ext2/3/4 superblock.</summary>
    public static bool TryRead(ReadOnlySpan<byte> sb, out Ext2Superblock result)
    {
        result = default;
        if (sb.Length < Size || BinaryPrimitives.ReadUInt16LittleEndian(sb[Field.Magic..]) != Magic) return false;
        var log = U32(sb, Field.LogBlockSize);
        if (log > MaxLogBlockSize) return false;
        var name = sb.Slice(Field.VolumeName, Field.VolumeNameLength);
        result = new Ext2Superblock(U32(sb, Field.InodesCount), U32(sb, Field.BlocksCount), U32(sb, Field.FreeBlocksCount),
            U32(sb, Field.FreeInodesCount), U32(sb, Field.FirstDataBlock), (int)log, U32(sb, Field.BlocksPerGroup),
            U32(sb, Field.InodesPerGroup), U32(sb, Field.WriteTime), BinaryPrimitives.ReadUInt16LittleEndian(sb[Field.BlockGroupNumber..]),
            U32(sb, Field.FeatureIncompat), U32(sb, Field.FeatureRoCompat), sb.Slice(Field.Uuid, Field.UuidLength).ToArray(),
            name[..(name.IndexOf((byte)0) is var end and >= 0 ? end : name.Length)].ToArray());
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
    private static void U32(Span<byte> s, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(s[at..], v);
    private static void U16(Span<byte> s, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(s[at..], v);
}
