// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), for the GPT header and entry array checksums
// (UEFI spec 2.10, 5.3.2) and the JFFS2 node header checksum (which starts from 0 and is not inverted).
namespace Preinit.Core.Probing;

internal static class Crc32
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>The raw register update: no initial or final inversion.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>The usual CRC-32 (zlib, UEFI): seeded with ~0 and inverted at the end.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
