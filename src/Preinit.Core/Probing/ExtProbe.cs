// ext2, ext3, ext4 (and ext4dev) and external ext3/4 journal devices (jbd). One superblock layout, read
// with the writer's field table (Ext2Superblock; Documentation/filesystems/ext4/super.rst); the type comes
// from the feature flags exactly as libblkid's ext.c decides it: a journal makes ext3, any feature ext3
// does not know makes ext4.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Preinit.Core.Ext2;
using Field = Preinit.Core.Ext2.Ext2Superblock.Field;
using Feature = Preinit.Core.Ext2.Ext2Superblock.Feature;

namespace Preinit.Core.Probing;

internal static class ExtProbe
{
    private const int ReadSize = 512;   // libblkid reads the first 0x200 bytes of the superblock
    private static ReadOnlySpan<byte> Magic => [Ext2Superblock.Magic & 0xFF, Ext2Superblock.Magic >> 8];

    /// <summary>What ext2 and ext3 understand; anything else in these words needs ext4.</summary>
    private static class Known
    {
        public const uint Ext2Incompat = Feature.IncompatFiletype | Feature.IncompatMetaBg;
        public const uint Ext3Incompat = Ext2Incompat | Feature.IncompatRecover;
        public const uint Ext3RoCompat = Feature.RoCompatSparseSuper | Feature.RoCompatLargeFile | Feature.RoCompatBtreeDir;
    }

    private readonly record struct Superblock(byte[] Bytes, uint Compat, uint Incompat, uint RoCompat, uint Flags);

    // One prober per type, as in libblkid's table: their conditions exclude each other except for ext4dev,
    // whose test flag alone is enough, so a test-flagged plain ext2 matches twice (blkid calls it ambivalent).
    public static bool TryProbeExt4Dev(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext4dev", sb => (sb.Incompat & Feature.IncompatJournalDev) == 0 && (sb.Flags & Feature.FlagTestFilesys) != 0,
            out result);

    public static bool TryProbeExt4(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext4", sb => (sb.Incompat & Feature.IncompatJournalDev) == 0
            && ((sb.RoCompat & ~Known.Ext3RoCompat) != 0 || (sb.Incompat & ~Known.Ext3Incompat) != 0)
            && (sb.Flags & Feature.FlagTestFilesys) == 0, out result);

    public static bool TryProbeExt3(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext3", sb => (sb.Compat & Feature.CompatHasJournal) != 0
            && (sb.RoCompat & ~Known.Ext3RoCompat) == 0 && (sb.Incompat & ~Known.Ext3Incompat) == 0, out result);

    public static bool TryProbeExt2(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext2", sb => (sb.Compat & Feature.CompatHasJournal) == 0
            && (sb.RoCompat & ~Known.Ext3RoCompat) == 0 && (sb.Incompat & ~Known.Ext2Incompat) == 0, out result);

    /// <summary>Any ext2/3/4 filesystem (not a journal device) whose superblock sits 1024 bytes into the source, and its
    /// block size in bytes.</summary>
    public static bool TryProbeFilesystem(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result, out int blockSize)
    {
        blockSize = TryRead(source, out var sb)
            ? 1024 << (int)BinaryPrimitives.ReadUInt32LittleEndian(sb.Bytes.AsSpan(Field.LogBlockSize))
            : 0;
        return TryProbeExt4Dev(source, out result) || TryProbeExt4(source, out result)
            || TryProbeExt3(source, out result) || TryProbeExt2(source, out result);
    }

    /// <summary>An external journal (mke2fs -O journal_dev): blkid's "jbd", usage "other".</summary>
    public static bool TryProbeJbd(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "jbd", sb => (sb.Incompat & Feature.IncompatJournalDev) != 0, out result, ProbeResult.Other);

    private static bool Result(IBlockSource source, string type, Func<Superblock, bool> matches,
        [NotNullWhen(true)] out ProbeResult? result, string usage = ProbeResult.Filesystem)
    {
        result = null;
        if (!TryRead(source, out var sb) || !matches(sb)) return false;
        var b = sb.Bytes;
        var version = $"{BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.Revision))}." +
            $"{BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.MinorRevision))}";
        result = new ProbeResult(type,
            BlkidText.Label(b.AsSpan(Field.VolumeName, Field.VolumeNameLength)),
            BlkidText.Uuid(b.AsSpan(Field.Uuid, Field.UuidLength)),
            version, usage);
        return true;
    }

    private static bool TryRead(IBlockSource source, out Superblock sb)
    {
        sb = default;
        if (!BlockRead.HasMagic(source, Ext2Superblock.Offset >> 10, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, Ext2Superblock.Offset, ReadSize) is not { } b) return false;
        // Sanity beyond blkid 2.38 (as later blkid does): ext4 blocks are at most 64 KiB (log 6).
        if (BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.LogBlockSize)) > Ext2Superblock.MaxLogBlockSize) return false;
        sb = new Superblock(b,
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FeatureCompat)),
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FeatureIncompat)),
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FeatureRoCompat)),
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.Flags)));
        return true;
    }
}
