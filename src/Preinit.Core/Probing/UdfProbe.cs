// UDF (ECMA-167 3rd edition; OSTA UDF 2.60), the filesystem of DVD images and most installer discs, often
// as a "bridge" disc that also carries ISO 9660. As libblkid's udf.c:
//  - recognised by an NSR02/NSR03 descriptor in the volume recognition sequence at 32 KiB (ECMA-167 2/8.3),
//    then an anchor (AVDP) at sector 256, or 512 on unclosed media (UDF 2.60 2.2.3), of the first block size
//    that has one (512, 1024, 2048, 4096; libblkid tries the device's sector size first, the same order for
//    an image file or a USB stick);
//  - UDF only when a logical volume descriptor names the "*OSTA UDF Compliant" domain (UDF 2.60 2.2.4.3):
//    another ECMA-167 filesystem is not udf (as util-linux after 2.38; 2.38 takes any NSR volume);
//  - LABEL is the logical volume identifier, UUID comes from the volume set identifier (VolumeSetUuid),
//    VERSION is the UDF revision "2.01": the highest of the LVD's and the integrity descriptor's minimum
//    read and write revisions;
//  - at most 64 descriptors of the volume descriptor sequence are read, as the kernel's UDF_MAX_TD_NESTING
//    (libblkid after 2.38 too; 2.38 follows whatever length the anchor claims).
// The table puts udf before iso9660, both tolerant: a bridge disc is udf, a plain ISO 9660 image stays iso9660.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Preinit.Core.Probing;

internal static class UdfProbe
{
    private const long RecognitionOffset = 0x8000;
    private const int RecognitionDescriptors = 64, SequenceDescriptors = 64;
    private const int DescriptorSize = 440;   // the tag and the largest descriptor libblkid reads (the LVD up to its LVID extent)
    private static readonly int[] BlockSizes = [512, 1024, 2048, 4096];

    /// <summary>ECMA-167 3/7.2 descriptor tag.</summary>
    private static class Tag
    {
        public const int Id = 0, Location = 12;
        public const ushort Primary = 1, Anchor = 2, ImplementationUse = 4, Logical = 6, Terminator = 8, Integrity = 9;
    }

    /// <summary>ECMA-167 2/9.1 volume structure descriptor: type, identifier, version.</summary>
    private static class Structure
    {
        public const int Id = 1, Size = 7, IdLength = 5;
    }

    private static class Anchor
    {
        public const int Length = 16, Location = 20;
    }

    private static class Primary
    {
        public const int VolumeId = 24, VolumeIdSize = 32, VolumeSetId = 72, VolumeSetIdSize = 128, Charset = 200,
            ApplicationId = 345, ImplementationId = 389, EntityIdLength = 23;
    }

    private static class Logical
    {
        public const int Charset = 20, VolumeId = 84, VolumeIdSize = 128, DomainId = 217, UdfRevision = 240,
            PartitionMaps = 268, IntegrityLength = 432, IntegrityLocation = 436;
    }

    private static class ImplementationUse
    {
        public const int Id = 21, Charset = 52, LvInfo1 = 244, LvInfo1Size = 36;
    }

    /// <summary>ECMA-167 3/10.10 logical volume integrity descriptor, and the UDF 2.60 2.2.6.4 implementation use after
    /// its partition tables.</summary>
    private static class Integrity
    {
        public const int Partitions = 72, ImplementationUseLength = 76, ImplementationUse = 80;
        public const int MinReadRevision = 40, MinWriteRevision = 42, ImplementationUseSize = 46;
    }

    /// <summary>OSTA CS0 compression ids: 8 bits per character (Latin-1) or 16 (UTF-16BE).</summary>
    private const byte Cs0Latin1 = 8, Cs0Utf16 = 16;

    private static ReadOnlySpan<byte> OstaCharset => "OSTA Compressed Unicode\0"u8;
    private static ReadOnlySpan<byte> UdfDomain => "*OSTA UDF Compliant\0"u8;
    private static ReadOnlySpan<byte> LvInfoId => "*UDF LV Info\0"u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        // libblkid's magic test: the KiB at 32 KiB holds one of the recognition identifiers.
        if (!BlockRead.Fits(source, RecognitionOffset, 1024)) return false;
        if (FindAnchor(source, out var blockSize) is not { } anchor) return false;

        var count = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(anchor.AsSpan(Anchor.Length)) / (uint)blockSize, SequenceDescriptors);
        var location = BinaryPrimitives.ReadUInt32LittleEndian(anchor.AsSpan(Anchor.Location));
        var isUdf = false;
        ushort revision = 0;
        string? label = null, uuid = null;
        bool haveLabel = false, haveUuid = false, haveVolumeId = false, haveVolumeSetId = false, haveLogicalId = false,
            haveApplicationId = false, havePublisherId = false;
        uint integrityLength = 0, integrityLocation = 0;

        for (uint b = 0; b < count; b++)
        {
            var d = BlockRead.Bytes(source, ((long)location + b) * blockSize, DescriptorSize);
            if (d is null) return false;
            var id = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(Tag.Id));
            if (id == 0 || BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Tag.Location)) != unchecked(location + b)
                || id == Tag.Terminator) break;
            if (id == Tag.Primary)
            {
                // The identifiers blkid reports besides LABEL and UUID are not kept, but which of them were found decides,
                // as in libblkid, when the descriptors stop being read (and so which reads can fail).
                var osta = IsOstaCharset(d, Primary.Charset);
                if (!haveVolumeId && osta) haveVolumeId = IsCs0(d[Primary.VolumeId]);
                if (!haveUuid && osta)
                    haveUuid = (uuid = VolumeSetUuid(d.AsSpan(Primary.VolumeSetId, Primary.VolumeSetIdSize))) is not null;
                if (!haveVolumeSetId && osta) haveVolumeSetId = IsCs0(d[Primary.VolumeSetId]);
                if (!haveApplicationId)
                    haveApplicationId = EntityId(d, Primary.ApplicationId) > 0 || EntityId(d, Primary.ImplementationId) > 0;
            }
            else if (id == Tag.Logical)
            {
                // ECMA-167 3/10.6.12: without partition maps there is no integrity descriptor.
                if ((integrityLength == 0 || integrityLocation == 0)
                    && BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Logical.PartitionMaps)) != 0)
                {
                    integrityLength = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Logical.IntegrityLength));
                    integrityLocation = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Logical.IntegrityLocation));
                }
                if ((!isUdf || revision == 0) && d.AsSpan(Logical.DomainId, UdfDomain.Length).SequenceEqual(UdfDomain))
                {
                    isUdf = true;
                    if (revision == 0) revision = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(Logical.UdfRevision));
                }
                if ((!haveLogicalId || !haveLabel) && IsOstaCharset(d, Logical.Charset) && IsCs0(d[Logical.VolumeId]))
                {
                    if (!haveLabel) label = Cs0Label(d.AsSpan(Logical.VolumeId, Logical.VolumeIdSize));
                    haveLabel = haveLogicalId = true;
                }
            }
            else if (id == Tag.ImplementationUse)
            {
                if (!havePublisherId && d.AsSpan(ImplementationUse.Id, LvInfoId.Length).SequenceEqual(LvInfoId)
                    && IsOstaCharset(d, ImplementationUse.Charset))
                    havePublisherId = IsCs0(d[ImplementationUse.LvInfo1]);
            }
            if (isUdf && haveVolumeId && haveUuid && haveVolumeSetId && haveLogicalId && haveLabel && integrityLength != 0
                && integrityLocation != 0 && haveApplicationId && havePublisherId)
                break;
        }
        if (!isUdf) return false;
        if (!TryIntegrityRevision(source, integrityLocation, integrityLength, blockSize, ref revision)) return false;

        // The revision is BCD-like hex: 0x0201 is UDF 2.01.
        result = new ProbeResult("udf", label, uuid, revision == 0 ? null : $"{revision >> 8:x}.{revision & 0xFF:x2}");
        return true;
    }

    /// <summary>The anchor descriptor of the first block size whose recognition sequence has an NSR descriptor and
    /// whose sector 256 or 512 holds an anchor that names its own location; null (and the block size 0) when none.</summary>
    private static byte[]? FindAnchor(IBlockSource source, out int blockSize)
    {
        blockSize = 0;
        bool? nsr2048 = null;   // descriptors are 2048 bytes apart for every block size up to 2048: scanned once
        foreach (var size in BlockSizes)
        {
            var spacing = Math.Max(size, 2048);
            bool? nsr = spacing == 2048 ? nsr2048 : null;
            nsr ??= HasNsr(source, spacing);
            if (nsr is null) return null;   // a read past the end ends the probe, as in libblkid
            if (spacing == 2048) nsr2048 = nsr;
            if (nsr == false) continue;
            foreach (var sector in (ReadOnlySpan<int>)[256, 512])
            {
                var d = BlockRead.Bytes(source, (long)sector * size, DescriptorSize);
                if (d is null) return null;
                if (BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Tag.Location)) == sector
                    && BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(Tag.Id)) == Tag.Anchor)
                {
                    blockSize = size;
                    return d;
                }
            }
        }
        return null;
    }

    /// <summary>Whether the volume recognition sequence (descriptors spacing bytes apart from 32 KiB) holds NSR02 or
    /// NSR03 before it ends; null when a descriptor lies past the end of the source.</summary>
    private static bool? HasNsr(IBlockSource source, int spacing)
    {
        Span<byte> vsd = stackalloc byte[Structure.Size];
        for (var b = 0; b < RecognitionDescriptors; b++)
        {
            if (!BlockRead.TryFill(source, RecognitionOffset + (long)b * spacing, vsd)) return null;
            var id = vsd.Slice(Structure.Id, Structure.IdLength);
            if (id[0] == 0) return false;
            if (id.SequenceEqual("NSR02"u8) || id.SequenceEqual("NSR03"u8)) return true;
            // ECMA-167 2/8.3.1: the sequence ends at the first sector that is no recognition descriptor. UDF 2.00 and
            // older may put NSR outside the extended area, so TEA01 does not end it.
            if (!id.SequenceEqual("BEA01"u8) && !id.SequenceEqual("BOOT2"u8) && !id.SequenceEqual("CD001"u8)
                && !id.SequenceEqual("CDW02"u8) && !id.SequenceEqual("TEA01"u8))
                return false;
        }
        return false;
    }

    /// <summary>Raises revision to the minimum UDF read and write revisions of the first integrity descriptor (UDF 2.60
    /// 2: some 2.60 writers put 2.50 there and 2.60 in the LVD). Only the first descriptor of the chain is read, as
    /// libblkid does. False when a descriptor it points to lies past the end of the source (blkid then finds nothing).</summary>
    private static bool TryIntegrityRevision(IBlockSource source, uint location, uint length, int blockSize, ref ushort revision)
    {
        if (location == 0 || length < DescriptorSize) return true;
        var at = (long)location * blockSize;
        var d = BlockRead.Bytes(source, at, DescriptorSize);
        if (d is null) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(Tag.Id)) != Tag.Integrity
            || BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Tag.Location)) != location
            || BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Integrity.ImplementationUseLength)) < Integrity.ImplementationUseSize)
            return true;
        // The implementation use follows two 4-byte tables with an entry per partition.
        var use = at + Integrity.ImplementationUse + 8L * BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(Integrity.Partitions));
        if (BlockRead.Bytes(source, use, Integrity.ImplementationUseSize) is not { } iu) return false;
        foreach (var field in (ReadOnlySpan<int>)[Integrity.MinReadRevision, Integrity.MinWriteRevision])
        {
            var r = BinaryPrimitives.ReadUInt16LittleEndian(iu.AsSpan(field));
            if (r != 0 && revision < r) revision = r;
        }
        return true;
    }

    /// <summary>libblkid's UUID from the volume set identifier (UDF 2.01 2.2.2.5: its first 16 characters are unique,
    /// the first 8 a hex time value): the first 16 bytes of its UTF-8 form; all hex digits: those, lowercase; a non-hex
    /// byte among the first 8: the 8 bytes in hex; else the first 8 lowercase and bytes 8-11 in hex. Null when the
    /// identifier gives fewer than 8 bytes or is not CS0.</summary>
    private static string? VolumeSetUuid(ReadOnlySpan<byte> dstring)
    {
        if (Cs0Utf8(dstring, capacity: 17) is not { Length: >= 8 } utf8) return null;
        Span<byte> buf = stackalloc byte[16];
        buf.Clear();
        utf8.AsSpan(0, Math.Min(utf8.Length, 16)).CopyTo(buf);
        var nonHex = buf.IndexOfAnyExcept("0123456789abcdefABCDEF"u8);
        if (nonHex < 0) return Encoding.ASCII.GetString(buf).ToLowerInvariant();
        if (nonHex < 8) return Convert.ToHexStringLower(buf[..8]);
        return Encoding.ASCII.GetString(buf[..8]).ToLowerInvariant() + Convert.ToHexStringLower(buf[8..12]);
    }

    /// <summary>A dstring (ECMA-167 1/7.2.12: compression id, characters, used length in the last byte) as LABEL.</summary>
    private static string? Cs0Label(ReadOnlySpan<byte> dstring) => Cs0Utf8(dstring, int.MaxValue) is { } utf8 ? BlkidText.Label(utf8)
        : null;

    /// <summary>The characters of a dstring in UTF-8 (at most capacity - 1 bytes), or null for an unknown compression id.</summary>
    private static byte[]? Cs0Utf8(ReadOnlySpan<byte> dstring, int capacity)
    {
        // The last byte counts the bytes used, compression id included.
        int used = dstring[^1];
        if (used > 0) used--;
        var chars = dstring.Slice(1, Math.Min(used, dstring.Length - 2));
        return dstring[0] switch
        {
            Cs0Latin1 => BlkidText.Latin1ToUtf8(chars, capacity),
            Cs0Utf16 => BlkidText.Utf16ToUtf8(chars, bigEndian: true, capacity),
            _ => null,
        };
    }

    private static bool IsCs0(byte compressionId) => compressionId is Cs0Latin1 or Cs0Utf16;

    /// <summary>A charspec (ECMA-167 1/7.2.1) of type CS0 naming OSTA Compressed Unicode (UDF 2.60 2.1.2).</summary>
    private static bool IsOstaCharset(byte[] d, int at) => d[at] == 0 && d.AsSpan(at + 1, OstaCharset.Length).SequenceEqual(OstaCharset);

    /// <summary>The length of an entity identifier (ECMA-167 1/7.4: 23 bytes after a flags byte) up to its first NUL,
    /// less a leading '*' (UDF 2.60 2.1.5.2).</summary>
    private static int EntityId(byte[] d, int at)
    {
        var id = d.AsSpan(at, Primary.EntityIdLength);
        var nul = id.IndexOf((byte)0);
        var length = nul < 0 ? id.Length : nul;
        return length > 0 && id[0] == (byte)'*' ? length - 1 : length;
    }
}
