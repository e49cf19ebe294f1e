// ISO 9660 (ECMA-119 4th edition, 8. Volume Descriptors) with the Joliet extension (a supplementary
// descriptor with UCS-2 escape sequences), and the older High Sierra format. As libblkid's iso9660.c:
//  - LABEL: with Joliet, the Joliet volume id (UTF-16BE, 16 characters at most) merged with the primary
//    one (32 ASCII characters, '_' for what ASCII cannot hold) when one is a prefix of the other, so a
//    long label keeps its tail and its case; else the Joliet id alone; without Joliet the primary id.
//  - UUID: the modification date, or the creation date when that is unset, as "YYYY-MM-DD-HH-mm-ss-cc".
//  - VERSION: "Joliet Extension" when there is one, "High Sierra" for that format, else none.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Preinit.Core.Probing;

internal static class Iso9660Probe
{
    private const long DescriptorsOffset = 0x8000;   // system area: the first 16 sectors
    private const int SectorSize = 2048, MaxDescriptors = 16;

    private static class Field
    {
        public const int Type = 0, StandardId = 1, SystemId = 8, VolumeId = 40, VolumeSpaceSize = 80, EscapeSequences = 88,
            LogicalBlockSize = 128, Created = 813, Modified = 830;
        public const int IdLength = 32, DateDigits = 16, DateOffsetByte = 16, Size = 847;
        public const int HighSierraStandardId = 9, HighSierraVolumeId = 48, HighSierraSize = 80;
    }

    private static class DescriptorType
    {
        public const byte BootRecord = 0, Primary = 1, Supplementary = 2, Terminator = 0xFF;
    }

    private static ReadOnlySpan<byte> Magic => "CD001"u8;
    private static ReadOnlySpan<byte> HighSierraMagic => "CDROM"u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (BlockRead.HasMagic(source, DescriptorsOffset >> 10, Field.StandardId, Magic)) return TryProbeIso(source, out result);
        if (BlockRead.HasMagic(source, DescriptorsOffset >> 10, Field.HighSierraStandardId, HighSierraMagic))
        {
            if (BlockRead.Bytes(source, DescriptorsOffset, Field.HighSierraSize) is not { } hs) return false;
            result = new ProbeResult("iso9660", BlkidText.Label(hs.AsSpan(Field.HighSierraVolumeId, Field.IdLength)), null, "High Sierra");
            return true;
        }
        return false;
    }

    private static bool TryProbeIso(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        byte[]? primary = null, joliet = null;
        var boot = false;
        // The descriptor set: at most 16 are looked at, ending at a terminator or the end of the device.
        for (var i = 0; i < MaxDescriptors && !(boot && primary is not null && joliet is not null); i++)
        {
            var d = BlockRead.Bytes(source, DescriptorsOffset + (long)i * SectorSize, Field.Size);
            if (d is null || d[Field.Type] == DescriptorType.Terminator) break;
            if (!boot && d[Field.Type] == DescriptorType.BootRecord) boot = true;
            else if (primary is null && d[Field.Type] == DescriptorType.Primary) primary = d;
            else if (joliet is null && d[Field.Type] == DescriptorType.Supplementary && IsJoliet(d)) joliet = d;
        }
        if (primary is null) return false;

        string? label;
        if (joliet is null)
            label = BlkidText.Label(primary.AsSpan(Field.VolumeId, Field.IdLength));
        else
        {
            var merged = MergeJolietWithPrimary(joliet.AsSpan(Field.VolumeId, Field.IdLength),
                primary.AsSpan(Field.VolumeId, Field.IdLength));
            label = BlkidText.Utf16Label(merged ?? joliet.AsSpan(Field.VolumeId, Field.IdLength), bigEndian: true);
        }
        if (!TryDateUuid(primary.AsSpan(Field.Modified, Field.DateDigits + 1), out var uuid))
            TryDateUuid(primary.AsSpan(Field.Created, Field.DateDigits + 1), out uuid);
        result = new ProbeResult("iso9660", label, uuid, joliet is null ? null : "Joliet Extension");
        return true;
    }

    /// <summary>The bytes the filesystem spans (ECMA-119 8.4.8 and 8.4.12: the volume space size in logical blocks,
    /// little-endian halves of both-endian fields), or null when the source starts with no primary descriptor.</summary>
    public static long? VolumeBytes(IBlockSource source)
    {
        if (!BlockRead.HasMagic(source, DescriptorsOffset >> 10, Field.StandardId, Magic)) return null;
        for (var i = 0; i < MaxDescriptors; i++)
        {
            var d = BlockRead.Bytes(source, DescriptorsOffset + (long)i * SectorSize, Field.LogicalBlockSize + 2);
            if (d is null || d[Field.Type] == DescriptorType.Terminator) return null;
            if (d[Field.Type] != DescriptorType.Primary) continue;
            var blocks = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Field.VolumeSpaceSize));
            var blockSize = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(Field.LogicalBlockSize));
            return (long)blocks * (blockSize == 0 ? SectorSize : blockSize);
        }
        return null;
    }

    // Joliet's escape sequences name UCS-2 level 1, 2 or 3.
    private static bool IsJoliet(byte[] d)
    {
        var esc = d.AsSpan(Field.EscapeSequences, 3);
        return esc.SequenceEqual("%/@"u8) || esc.SequenceEqual("%/C"u8) || esc.SequenceEqual("%/E"u8);
    }

    /// <summary>The Joliet id (UTF-16BE) completed from the primary id when the Joliet one is a prefix of it, comparing
    /// ASCII case-insensitively and taking '_' in the primary id for any character; null when they differ. Where
    /// the primary has an uppercase letter the Joliet character's case wins; the primary's tail beyond the Joliet
    /// id's 16 characters is appended.</summary>
    private static byte[]? MergeJolietWithPrimary(ReadOnlySpan<byte> utf16, ReadOnlySpan<byte> ascii)
    {
        var len = ascii.Length;
        var output = new List<byte>(len * 3);
        int a = 0, u = 0;
        for (; u + 1 < len && a < len; a++, u += 2)
        {
            // A surrogate pair is one character: its high half passes through, its low half meets the '_'.
            if (utf16[u] is >= 0xD8 and <= 0xDB && u + 3 < len && utf16[u + 2] is >= 0xDC and <= 0xDF)
            {
                output.Add(utf16[u]);
                output.Add(utf16[u + 1]);
                u += 2;
            }
            byte hi = utf16[u], lo = utf16[u + 1], c = ascii[a];
            if (c == (byte)'_') { output.Add(hi); output.Add(lo); }
            else if (hi == 0 && lo == (byte)'_') { output.Add(0); output.Add(c); }
            else if (hi == 0 && AsciiUpper(c) == AsciiUpper(lo)) { output.Add(0); output.Add(c is >= (byte)'A' and <= (byte)'Z' ? lo : c); }
            else return null;
        }
        for (; a < len; a++) { output.Add(0); output.Add(ascii[a]); }
        return output.Count == 0 ? null : [.. output];
    }

    /// <summary>A UUID from a volume date (16 ASCII digits and a zone byte). False when the date is unset (all '0'
    /// and zone 0), so the caller tries the next date; a date of NUL bytes counts as set but gives no UUID.</summary>
    private static bool TryDateUuid(ReadOnlySpan<byte> date, out string? uuid)
    {
        uuid = null;
        var digits = date[..Field.DateDigits];
        if (digits.IndexOfAnyExcept((byte)'0') < 0 && date[Field.DateOffsetByte] == 0) return false;
        if (BlkidText.IsZero(digits)) return true;
        var text = new List<byte>(22);
        for (var i = 0; i < Field.DateDigits; i += 2)
        {
            // year (4 digits), month, day, hour, minute, second, hundredths: "2026-11-22-00-12-34-00".
            if (i is > 0 and not 2) text.Add((byte)'-');
            text.Add(digits[i]);
            text.Add(digits[i + 1]);
        }
        // blkid prints the value as a C string: it ends at a NUL the date may hold.
        var bytes = text.ToArray();
        var nul = Array.IndexOf(bytes, (byte)0);
        uuid = Encoding.UTF8.GetString(bytes, 0, nul >= 0 ? nul : bytes.Length);
        return true;
    }

    private static byte AsciiUpper(byte c) => c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 32) : c;
}
