// ext2, ext3, ext4 (and ext4dev) and external ext3/4 journal devices (jbd). One superblock layout
// (Documentation/filesystems/ext4/super.rst); the type comes from the feature flags exactly as
// libblkid's ext.c decides it: a journal makes ext3, any feature ext3 does not know makes ext4.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class ExtProbe
{
    private const long SuperblockOffset = 1024;
    private const int ReadSize = 512;   // libblkid reads the first 0x200 bytes of the superblock
    private const uint MaxLogBlockSize = 6;
    private static ReadOnlySpan<byte> Magic => [0x53, 0xEF];

    private static class Field
    {
        public const int LogBlockSize = 0x18, Magic = 0x38, MinorRevLevel = 0x3E, RevLevel = 0x4C, FeatureCompat = 0x5C,
            FeatureIncompat = 0x60, FeatureRoCompat = 0x64, Uuid = 0x68, VolumeName = 0x78, Flags = 0x160;
        public const int UuidLength = 16, VolumeNameLength = 16;
    }

    private static class Feature
    {
        public const uint CompatHasJournal = 0x4;
        public const uint IncompatFiletype = 0x2, IncompatRecover = 0x4, IncompatJournalDev = 0x8, IncompatMetaBg = 0x10;
        public const uint RoCompatSparseSuper = 0x1, RoCompatLargeFile = 0x2, RoCompatBtreeDir = 0x4;
        // What ext2 and ext3 understand; anything else in these words needs ext4.
        public const uint Ext2Incompat = IncompatFiletype | IncompatMetaBg;
        public const uint Ext3Incompat = IncompatFiletype | IncompatRecover | IncompatMetaBg;
        public const uint Ext3RoCompat = RoCompatSparseSuper | RoCompatLargeFile | RoCompatBtreeDir;
        public const uint FlagTestFilesys = 0x4;   // s_flags: "OK for use by in-development code": ext4dev
    }

    private readonly record struct Superblock(byte[] Bytes, uint Compat, uint Incompat, uint RoCompat, uint Flags);

    // One prober per type, as in libblkid's table: their conditions exclude each other except for ext4dev,
    // whose test flag alone is enough, so a test-flagged plain ext2 matches twice (blkid calls it ambivalent).
    public static bool TryProbeExt4Dev(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext4dev", sb => (sb.Incompat & Feature.IncompatJournalDev) == 0 && (sb.Flags & Feature.FlagTestFilesys) != 0, out result);

    public static bool TryProbeExt4(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext4", sb => (sb.Incompat & Feature.IncompatJournalDev) == 0
            && ((sb.RoCompat & ~Feature.Ext3RoCompat) != 0 || (sb.Incompat & ~Feature.Ext3Incompat) != 0)
            && (sb.Flags & Feature.FlagTestFilesys) == 0, out result);

    public static bool TryProbeExt3(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext3", sb => (sb.Compat & Feature.CompatHasJournal) != 0
            && (sb.RoCompat & ~Feature.Ext3RoCompat) == 0 && (sb.Incompat & ~Feature.Ext3Incompat) == 0, out result);

    public static bool TryProbeExt2(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result) =>
        Result(source, "ext2", sb => (sb.Compat & Feature.CompatHasJournal) == 0
            && (sb.RoCompat & ~Feature.Ext3RoCompat) == 0 && (sb.Incompat & ~Feature.Ext2Incompat) == 0, out result);

    /// <summary>Any ext2/3/4 filesystem (not a journal device) whose superblock sits 1024 bytes into the source, and its
    /// block size in bytes.</summary>
    public static bool TryProbeFilesystem(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result, out int blockSize)
    {
        blockSize = TryRead(source, out var sb) ? 1024 << (int)BinaryPrimitives.ReadUInt32LittleEndian(sb.Bytes.AsSpan(Field.LogBlockSize)) : 0;
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
        var version = $"{BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.RevLevel))}.{BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.MinorRevLevel))}";
        result = new ProbeResult(type,
            BlkidText.Label(b.AsSpan(Field.VolumeName, Field.VolumeNameLength)),
            BlkidText.Uuid(b.AsSpan(Field.Uuid, Field.UuidLength)),
            version, usage);
        return true;
    }

    private static bool TryRead(IBlockSource source, out Superblock sb)
    {
        sb = default;
        if (!BlockRead.HasMagic(source, SuperblockOffset >> 10, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, SuperblockOffset, ReadSize) is not { } b) return false;
        // Sanity beyond blkid 2.38 (as later blkid does): ext4 blocks are at most 64 KiB (log 6).
        if (BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.LogBlockSize)) > MaxLogBlockSize) return false;
        sb = new Superblock(b,
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FeatureCompat)),
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FeatureIncompat)),
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FeatureRoCompat)),
            BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.Flags)));
        return true;
    }
}
