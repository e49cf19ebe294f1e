// btrfs: the primary superblock at 64 KiB (btrfs on-disk format, "Superblock"; kernel
// include/uapi/linux/btrfs_tree.h struct btrfs_super_block). LABEL from the 256-byte label,
// UUID the filesystem's fsid (not the device's dev_item uuid, which blkid calls UUID_SUB).
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class BtrfsProbe
{
    public const long MinSize = 1024 * 1024;   // libblkid's minsz for btrfs
    private const long SuperblockOffset = 64 * 1024;

    private static class Field
    {
        public const int Fsid = 0x20, Bytenr = 0x30, Magic = 0x40, SectorSize = 0x90, NodeSize = 0x94, Label = 0x12B;
        public const int LabelLength = 256, Size = Label + LabelLength;
    }

    private static ReadOnlySpan<byte> Magic => "_BHRfS_M"u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (source.Length < MinSize || !BlockRead.HasMagic(source, SuperblockOffset >> 10, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, SuperblockOffset, Field.Size) is not { } sb) return false;
        // Sanity checks the kernel makes (fs/btrfs/disk-io.c btrfs_validate_super) and libblkid 2.38 does not:
        // the superblock records its own offset, sector size is a power of two from 4 KiB to 64 KiB, and the
        // node size one from the sector size to 64 KiB.
        if (BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(Field.Bytenr)) != SuperblockOffset) return false;
        var sector = BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(Field.SectorSize));
        var node = BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(Field.NodeSize));
        if (!IsPowerOfTwo(sector) || sector < 4096 || sector > 65536) return false;
        if (!IsPowerOfTwo(node) || node < sector || node > 65536) return false;
        result = new ProbeResult("btrfs", BlkidText.Label(sb.AsSpan(Field.Label, Field.LabelLength)),
            BlkidText.Uuid(sb.AsSpan(Field.Fsid, 16)));
        return true;
    }

    private static bool IsPowerOfTwo(uint n) => n != 0 && (n & (n - 1)) == 0;
}
