// SquashFS 4 (kernel fs/squashfs/squashfs_fs.h struct squashfs_super_block, little-endian "hsqs").
// It has no label or UUID; blkid reports VERSION "major.minor". SquashFS 3 and older (blkid's
// "squashfs3") are not probed: no kernel since 2.6.29 mounts them.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class SquashfsProbe
{
    private static class Field
    {
        public const int Magic = 0, BlockSize = 12, BlockLog = 22, Major = 28, Minor = 30;
        public const int Size = 32;
    }

    private const int MinBlockLog = 12, MaxBlockLog = 20;   // 4 KiB .. 1 MiB blocks (SQUASHFS_FILE_MAX_LOG)
    private static ReadOnlySpan<byte> Magic => "hsqs"u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!BlockRead.HasMagic(source, 0, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, 0, Field.Size) is not { } sb) return false;
        var major = BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(Field.Major));
        var minor = BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(Field.Minor));
        if (major < 4) return false;
        // The kernel's check (fs/squashfs/super.c), beyond libblkid: the block size and its log agree.
        var blockLog = BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(Field.BlockLog));
        if (blockLog is < MinBlockLog or > MaxBlockLog
            || BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(Field.BlockSize)) != 1u << blockLog) return false;
        result = new ProbeResult("squashfs", null, null, $"{major}.{minor}");
        return true;
    }
}
