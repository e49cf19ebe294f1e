// XFS: the big-endian superblock at offset 0 (XFS Algorithms & Data Structures, "Superblocks";
// fs/xfs/libxfs/xfs_format.h). The geometry checks are libblkid's xfs_verify_sb, a subset of the
// kernel's xfs_validate_sb_common, so a stray "XFSB" alone is not taken for XFS.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class XfsProbe
{
    private static class Field
    {
        public const int Magic = 0, BlockSize = 4, DataBlocks = 8, Uuid = 32, RtExtSize = 80, AgBlocks = 84,
            AgCount = 88, SectorSize = 102, InodeSize = 104, FsName = 108, BlockLog = 120, SectorLog = 121,
            InodeLog = 122, InodesPerBlockLog = 123, ImaxPct = 127;
        public const int FsNameLength = 12, Size = 160;
    }

    private const int MinBlockLog = 9, MaxBlockLog = 16, MinSectorLog = 9, MaxSectorLog = 15, MinInodeLog = 8, MaxInodeLog = 11;
    private const uint MaxRtExtSize = 1024 * 1024 * 1024, MinRtExtSize = 4 * 1024;
    private const ulong MinAgBlocks = 64;
    private static ReadOnlySpan<byte> Magic => "XFSB"u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!BlockRead.HasMagic(source, 0, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, 0, Field.Size) is not { } sb || !IsValid(sb)) return false;
        result = new ProbeResult("xfs", BlkidText.Label(sb.AsSpan(Field.FsName, Field.FsNameLength)),
            BlkidText.Uuid(sb.AsSpan(Field.Uuid, 16)));
        return true;
    }

    private static bool IsValid(byte[] sb)
    {
        uint U32(int at) => BinaryPrimitives.ReadUInt32BigEndian(sb.AsSpan(at));
        int U16(int at) => BinaryPrimitives.ReadUInt16BigEndian(sb.AsSpan(at));
        uint agCount = U32(Field.AgCount), agBlocks = U32(Field.AgBlocks), blockSize = U32(Field.BlockSize),
            rtExtSize = U32(Field.RtExtSize);
        int sectorSize = U16(Field.SectorSize), inodeSize = U16(Field.InodeSize);
        int blockLog = sb[Field.BlockLog], sectorLog = sb[Field.SectorLog], inodeLog = sb[Field.InodeLog];
        var dataBlocks = BinaryPrimitives.ReadUInt64BigEndian(sb.AsSpan(Field.DataBlocks));
        if (agCount == 0) return false;
        if (sectorLog is < MinSectorLog or > MaxSectorLog || sectorSize != 1 << sectorLog) return false;
        if (blockLog is < MinBlockLog or > MaxBlockLog || blockSize != 1u << blockLog) return false;
        if (inodeLog is < MinInodeLog or > MaxInodeLog || inodeSize != 1 << inodeLog) return false;
        if (blockLog - inodeLog != sb[Field.InodesPerBlockLog]) return false;
        var rtExtBytes = unchecked(rtExtSize * blockSize);   // 32-bit product, as libblkid computes it
        if (rtExtBytes > MaxRtExtSize || rtExtBytes < MinRtExtSize) return false;
        if (sb[Field.ImaxPct] > 100) return false;
        if (dataBlocks == 0 || dataBlocks > (ulong)agCount * agBlocks || dataBlocks < (ulong)(agCount - 1) * agBlocks + MinAgBlocks)
            return false;
        return true;
    }
}
