// EROFS: the superblock at 1 KiB (kernel fs/erofs/erofs_fs.h struct erofs_super_block).
// LABEL from volume_name (16 bytes), UUID from uuid; blkid reports no VERSION.
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class ErofsProbe
{
    private const long SuperblockOffset = 1024;

    private static class Field
    {
        public const int Magic = 0, BlockSizeBits = 12, Uuid = 48, VolumeName = 64;
        public const int VolumeNameLength = 16, Size = 128;
    }

    private const int MinBlockSizeBits = 9, MaxBlockSizeBits = 16;   // 512 B .. 64 KiB, as later libblkid checks
    private static ReadOnlySpan<byte> Magic => [0xE2, 0xE1, 0xF5, 0xE0];

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!BlockRead.HasMagic(source, SuperblockOffset >> 10, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, SuperblockOffset, Field.Size) is not { } sb) return false;
        if (sb[Field.BlockSizeBits] is < MinBlockSizeBits or > MaxBlockSizeBits) return false;
        result = new ProbeResult("erofs", BlkidText.Label(sb.AsSpan(Field.VolumeName, Field.VolumeNameLength)),
            BlkidText.Uuid(sb.AsSpan(Field.Uuid, 16)));
        return true;
    }
}
