// Labels and UUIDs as libblkid prints them, so our strings compare equal to blkid's
// (superblocks.c: blkid_probe_set_label, blkid_probe_set_utf8label, blkid_probe_set_uuid;
// lib/encode.c: ul_encode_to_utf8). Labels are C strings: they end at the first NUL, and
// trailing whitespace (C isspace) is cut; a label left empty is no label at all.
// blkid keeps the label's bytes as they are, UTF-8 or not (a FAT label in code page 850); so do we
// (LabelBytes).
namespace Preinit.Core.Probing;

internal static class BlkidText
{
    /// <summary>blkid_probe_set_label: bytes up to the first NUL, trailing whitespace cut; null when empty.</summary>
    public static string? Label(ReadOnlySpan<byte> raw)
    {
        var nul = raw.IndexOf((byte)0);
        if (nul >= 0) raw = raw[..nul];
        var end = raw.Length;
        while (end > 0 && IsSpace(raw[end - 1])) end--;
        return end == 0 ? null : LabelBytes.FromBytes(raw[..end]);
    }

    /// <summary>blkid_probe_set_utf8label over UTF-16: converted to UTF-8 up to the first NUL unit, then as Label.</summary>
    public static string? Utf16Label(ReadOnlySpan<byte> raw, bool bigEndian) => Label(Utf16ToUtf8(raw, bigEndian));

    /// <summary>UTF-16 to UTF-8 as libblkid converts it (lib/encode.c ul_encode_to_utf8): a NUL unit ends the text,
    /// a high surrogate followed by a low one is one code point, and a lone surrogate is encoded as its own three
    /// bytes (not replaced), as is an odd last byte dropped. At most capacity - 1 bytes are written, and a character
    /// that does not fit ends the text, as in a C buffer of capacity bytes.</summary>
    public static byte[] Utf16ToUtf8(ReadOnlySpan<byte> raw, bool bigEndian, int capacity = int.MaxValue)
    {
        var output = new List<byte>(Math.Min(raw.Length * 3 / 2, capacity));
        for (var i = 0; i + 1 < raw.Length; i += 2)
        {
            int unit = Unit(raw, i, bigEndian);
            if (unit is >= 0xD800 and <= 0xDBFF && i + 3 < raw.Length)
            {
                int low = Unit(raw, i + 2, bigEndian);
                if (low is >= 0xDC00 and <= 0xDFFF)
                {
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    i += 2;
                }
            }
            if (unit == 0 || !TryAppendUtf8(output, unit, capacity)) break;
        }
        return [.. output];
    }

    /// <summary>Latin-1 (ISO 8859-1) to UTF-8 as ul_encode_to_utf8 converts it: a NUL ends the text; capacity as in
    /// Utf16ToUtf8.</summary>
    public static byte[] Latin1ToUtf8(ReadOnlySpan<byte> raw, int capacity = int.MaxValue)
    {
        var output = new List<byte>(Math.Min(raw.Length * 2, capacity));
        foreach (var b in raw)
            if (b == 0 || !TryAppendUtf8(output, b, capacity)) break;
        return [.. output];
    }

    /// <summary>blkid_unparse_uuid: 16 bytes as lowercase 8-4-4-4-12 hex; null when all zero (blkid_uuid_is_empty).</summary>
    public static string? Uuid(ReadOnlySpan<byte> uuid)
    {
        if (IsZero(uuid)) return null;
        var hex = Convert.ToHexStringLower(uuid[..16]);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>The serial-number UUID of FAT and exFAT: four little-endian bytes as "XXXX-XXXX"; null when zero.</summary>
    public static string? Serial32(ReadOnlySpan<byte> serial) =>
        IsZero(serial[..4]) ? null : $"{serial[3]:X2}{serial[2]:X2}-{serial[1]:X2}{serial[0]:X2}";

    public static bool IsZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

    /// <summary>C isspace in the C locale.</summary>
    public static bool IsSpace(byte b) => b is (byte)' ' or (>= (byte)'\t' and <= (byte)'\r');

    private static int Unit(ReadOnlySpan<byte> raw, int i, bool bigEndian) =>
        bigEndian ? (raw[i] << 8) | raw[i + 1] : raw[i] | (raw[i + 1] << 8);

    /// <summary>Appends c as UTF-8 unless that would leave no room for the C string's NUL in capacity bytes.</summary>
    private static bool TryAppendUtf8(List<byte> output, int c, int capacity)
    {
        var length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if ((long)output.Count + length >= capacity) return false;
        if (length == 1)
            output.Add((byte)c);
        else if (length == 2)
        {
            output.Add((byte)(0xC0 | (c >> 6)));
            output.Add((byte)(0x80 | (c & 0x3F)));
        }
        else if (length == 3)
        {
            output.Add((byte)(0xE0 | (c >> 12)));
            output.Add((byte)(0x80 | ((c >> 6) & 0x3F)));
            output.Add((byte)(0x80 | (c & 0x3F)));
        }
        else
        {
            output.Add((byte)(0xF0 | (c >> 18)));
            output.Add((byte)(0x80 | ((c >> 12) & 0x3F)));
            output.Add((byte)(0x80 | ((c >> 6) & 0x3F)));
            output.Add((byte)(0x80 | (c & 0x3F)));
        }
        return true;
    }
}
