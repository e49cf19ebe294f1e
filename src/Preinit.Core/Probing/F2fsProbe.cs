// F2FS: the superblock at 1 KiB (kernel include/linux/f2fs_fs.h struct f2fs_super_block,
// Documentation/filesystems/f2fs.rst). LABEL is UTF-16LE (512 units); VERSION "major.minor".
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class F2fsProbe
{
    private const long SuperblockOffset = 1024;

    private static class Field
    {
        public const int Magic = 0x00, MajorVersion = 0x04, MinorVersion = 0x06, LogSectorSize = 0x08,
            LogSectorsPerBlock = 0x0C, LogBlockSize = 0x10, Uuid = 0x6C, VolumeName = 0x7C;
        public const int VolumeNameLength = 512 * 2, Size = VolumeName + VolumeNameLength;
    }

    private static ReadOnlySpan<byte> Magic => [0x10, 0x20, 0xF5, 0xF2];

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!BlockRead.HasMagic(source, SuperblockOffset >> 10, Field.Magic, Magic)) return false;
        if (BlockRead.Bytes(source, SuperblockOffset, Field.Size) is not { } sb) return false;
        // The kernel's geometry rules (fs/f2fs/super.c sanity_check_raw_super), not checked by libblkid 2.38:
        // 512..4096-byte sectors, 4..64 KiB blocks made of whole sectors.
        var logSector = BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(Field.LogSectorSize));
        var logPerBlock = BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(Field.LogSectorsPerBlock));
        var logBlock = BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(Field.LogBlockSize));
        if (logSector is < 9 or > 12 || logBlock is < 12 or > 16 || (ulong)logSector + logPerBlock != logBlock) return false;

        var major = BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(Field.MajorVersion));
        var minor = BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(Field.MinorVersion));
        // Version 1.0 superblocks had another layout after the magic: libblkid reports the type only.
        if (major == 1 && minor == 0)
        {
            result = new ProbeResult("f2fs", null, null);
            return true;
        }
        string? label = sb[Field.VolumeName] == 0 ? null
            : BlkidText.Utf16Label(sb.AsSpan(Field.VolumeName, Field.VolumeNameLength), bigEndian: false);
        result = new ProbeResult("f2fs", label, BlkidText.Uuid(sb.AsSpan(Field.Uuid, 16)), $"{major}.{minor}");
        return true;
    }
}
