// LUKS1 and LUKS2 headers (cryptsetup's "LUKS1 On-Disk Format Specification" 1.2.3 and "LUKS2 On-Disk
// Format Specification" 1.1.x, 2.1 binary header). TYPE "crypto_LUKS", USAGE "crypto", VERSION the
// header version; UUID (and for LUKS2 the LABEL) are NUL-padded strings. Never mounted: probing only
// says the device is encrypted. A LUKS2 device whose primary header is wiped is still found by its
// secondary header, at the offsets the LUKS2 specification allows, as libblkid 2.38 does.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class LuksProbe
{
    private static class Field
    {
        public const int Magic = 0, Version = 6, Label2 = 24, Uuid = 168;
        public const int MagicLength = 6, LabelLength = 48, UuidLength = 40, HeaderSize = 512;
    }

    private static ReadOnlySpan<byte> PrimaryMagic => [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xBA, 0xBE];
    private static ReadOnlySpan<byte> SecondaryMagic => [(byte)'S', (byte)'K', (byte)'U', (byte)'L', 0xBA, 0xBE];
    private static readonly long[] SecondaryOffsets = [0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000];

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        var header = BlockRead.Bytes(source, 0, Field.HeaderSize);
        if (header is null) return false;
        if (!header.AsSpan(Field.Magic, Field.MagicLength).SequenceEqual(PrimaryMagic))
        {
            header = null;
            foreach (var offset in SecondaryOffsets)
            {
                // libblkid stops at the first offset past the end of the device.
                if (BlockRead.Bytes(source, offset, Field.HeaderSize) is not { } h) return false;
                if (h.AsSpan(Field.Magic, Field.MagicLength).SequenceEqual(SecondaryMagic)) { header = h; break; }
            }
            if (header is null) return false;
        }
        var version = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(Field.Version));
        string? uuid = null, label = null;
        if (version is 1 or 2) uuid = BlkidText.Label(header.AsSpan(Field.Uuid, Field.UuidLength));
        if (version == 2) label = BlkidText.Label(header.AsSpan(Field.Label2, Field.LabelLength));
        result = new ProbeResult("crypto_LUKS", label, uuid, version.ToString(), ProbeResult.Crypto);
        return true;
    }
}
