// Linux swap areas (include/linux/swap.h union swap_header; mkswap(8)): "SWAPSPACE2" (v1) or
// "SWAP-SPACE" (v0) in the last 10 bytes of the first page, whatever the page size (4 KiB to 64 KiB).
// v1 keeps LABEL and UUID after the 1 KiB of boot bits. TYPE "swap", USAGE "other" (libblkid swap.c).
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class SwapProbe
{
    public const long MinSize = 10 * 4096;   // ten pages, libblkid's minsz

    private static class Field
    {
        // struct swap_header_v1_2 at offset 1024
        public const int Version = 0, LastPage = 4, Uuid = 12, VolumeName = 28, Padding32 = 44 + 32 * 4, Padding33 = 44 + 33 * 4;
        public const int HeaderOffset = 1024, VolumeNameLength = 16, Size = Padding33 + 4;
    }

    // Where the magic ends a page of 4, 8, 16, 32 or 64 KiB.
    private static readonly int[] MagicOffsets = [0xFF6, 0x1FF6, 0x3FF6, 0x7FF6, 0xFFF6];
    private static ReadOnlySpan<byte> MagicV0 => "SWAP-SPACE"u8;
    private static ReadOnlySpan<byte> MagicV1 => "SWAPSPACE2"u8;
    // TuxOnIce keeps a valid swap signature behind its own header: not a swap area to use.
    private static ReadOnlySpan<byte> TuxOnIceMagic => [0xED, 0xC3, 0x02, 0xE9, 0x98, 0x56, 0xE5, 0x0C];

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (source.Length < MinSize) return false;
        bool? v1 = null;
        foreach (var at in MagicOffsets)
        {
            // libblkid tries "SWAP-SPACE" before "SWAPSPACE2" at each page size.
            if (BlockRead.HasMagic(source, 0, at, MagicV0)) { v1 = false; break; }
            if (BlockRead.HasMagic(source, 0, at, MagicV1)) { v1 = true; break; }
        }
        if (v1 is null) return false;
        Span<byte> head = stackalloc byte[TuxOnIceMagic.Length];
        if (!BlockRead.TryFill(source, 0, head) || head.SequenceEqual(TuxOnIceMagic)) return false;
        if (v1 == false)
        {
            result = new ProbeResult("swap", null, null, "0", ProbeResult.Other);   // v0 has no label or UUID
            return true;
        }

        if (BlockRead.Bytes(source, Field.HeaderOffset, Field.Size) is not { } h) return false;
        // The version word in either byte order (a swap area made on the other endianness), and a last page.
        var word = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Field.Version));
        if (word != 1 && BinaryPrimitives.ReverseEndianness(word) != 1) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Field.LastPage)) == 0) return false;
        string? label = null, uuid = null;
        // libblkid's "is there garbage down there" test: label and UUID only count when this padding is clear.
        if (BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Field.Padding32)) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Field.Padding33)) == 0)
        {
            label = BlkidText.Label(h.AsSpan(Field.VolumeName, Field.VolumeNameLength));
            uuid = BlkidText.Uuid(h.AsSpan(Field.Uuid, 16));
        }
        result = new ProbeResult("swap", label, uuid, "1", ProbeResult.Other);
        return true;
    }
}
