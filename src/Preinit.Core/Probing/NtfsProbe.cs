// NTFS: the boot sector's BIOS parameter block, then the $Volume record (MFT record 3) for the
// $VOLUME_NAME attribute (0x60, UTF-16LE). UUID is the 64-bit volume serial as 16 uppercase hex
// digits. Checks and layout as in libblkid's ntfs.c (and the Linux ntfs3 driver's boot.h/ntfs.h).
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class NtfsProbe
{
    private static class Field
    {
        public const int OemId = 3, SectorSize = 0x0B, SectorsPerCluster = 0x0D, ReservedSectors = 0x0E, Fats = 0x10,
            RootEntries = 0x11, Sectors = 0x13, SectorsPerFat = 0x16, LargeSectors = 0x20, NumberOfSectors = 0x28,
            MftCluster = 0x30, MftMirrorCluster = 0x38, ClustersPerMftRecord = 0x40, VolumeSerial = 0x48;
        public const int BootSectorSize = 0x54;
    }

    private static class MftRecord
    {
        public const int Magic = 0, AttrsOffset = 0x14, BytesAllocated = 0x1C;
        public const int VolumeRecord = 3;
    }

    private static class Attribute
    {
        public const int Type = 0, Length = 4, ValueLength = 0x10, ValueOffset = 0x14, HeaderSize = 22;
        public const uint VolumeName = 0x60, End = 0xFFFFFFFF;
    }

    private const int MaxClusterSize = 2 * 1024 * 1024;   // Windows 10 1709 allows 2 MiB clusters
    // MFT records are 1 or 4 KiB in practice; a bigger claim is refused rather than read (libblkid would
    // read up to 2 GiB if the device is that large).
    private const int MaxMftRecordSize = 64 * 1024;
    private static ReadOnlySpan<byte> Magic => "NTFS    "u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!TryReadVolumeRecord(source, out var bs, out var record)) return false;
        string? label = null;
        // Walk the attributes of $Volume: each has a nonzero length, and the walk stays inside the record.
        long at = BinaryPrimitives.ReadUInt16LittleEndian(record.AsSpan(MftRecord.AttrsOffset));
        var allocated = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(MftRecord.BytesAllocated));
        while (at + Attribute.HeaderSize <= record.Length && at <= allocated)
        {
            var attr = record.AsSpan((int)at);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(attr[Attribute.Length..]);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(attr[Attribute.Type..]);
            if (length == 0 || type == Attribute.End) break;
            if (type == Attribute.VolumeName)
            {
                long valueOffset = BinaryPrimitives.ReadUInt16LittleEndian(attr[Attribute.ValueOffset..]);
                long valueLength = BinaryPrimitives.ReadUInt32LittleEndian(attr[Attribute.ValueLength..]);
                if (at + valueOffset + valueLength <= record.Length)
                    label = BlkidText.Utf16Label(record.AsSpan((int)(at + valueOffset), (int)valueLength), bigEndian: false);
                break;
            }
            at += length;
        }
        var serial = bs.AsSpan(Field.VolumeSerial, 8);
        result = new ProbeResult("ntfs", label,
            BlkidText.IsZero(serial) ? null : BinaryPrimitives.ReadUInt64LittleEndian(serial).ToString("X16"));
        return true;
    }

    /// <summary>blkid_probe_is_ntfs: the dos partition table prober ignores a sector 0 that is an NTFS boot sector.</summary>
    public static bool LooksLikeNtfs(IBlockSource source) => TryReadVolumeRecord(source, out _, out _);

    private static bool TryReadVolumeRecord(IBlockSource source, [NotNullWhen(true)] out byte[]? bs, [NotNullWhen(true)] out byte[]? record)
    {
        bs = record = null;
        if (!BlockRead.HasMagic(source, 0, Field.OemId, Magic)) return false;
        var b = BlockRead.Bytes(source, 0, Field.BootSectorSize);
        if (b is null) return false;

        int sectorSize = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.SectorSize));
        if (sectorSize is < 256 or > 4096) return false;
        int sectorsPerCluster = b[Field.SectorsPerCluster];
        if (sectorsPerCluster is 1 or 2 or 4 or 8 or 16 or 32 or 64 or 128) { }
        else if (sectorsPerCluster is >= 240 and <= 249) sectorsPerCluster = 1 << (256 - sectorsPerCluster);
        else return false;
        if ((long)sectorSize * sectorsPerCluster > MaxClusterSize) return false;

        // Fields FAT uses must be zero on NTFS.
        if (BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.ReservedSectors)) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.RootEntries)) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.Sectors)) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(Field.SectorsPerFat)) != 0
            || BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.LargeSectors)) != 0
            || b[Field.Fats] != 0)
            return false;

        // Clusters per MFT record: a positive count, or a negative n meaning 2^-n bytes (-31..-9).
        var perRecord = (sbyte)b[Field.ClustersPerMftRecord];
        long recordSize;
        if (perRecord is 1 or 2 or 4 or 8 or 16 or 32 or 64) recordSize = (long)perRecord * sectorsPerCluster * sectorSize;
        else if (b[Field.ClustersPerMftRecord] is >= 0xE1 and <= 0xF7) recordSize = 1L << -perRecord;
        else return false;
        if (recordSize < 4 || recordSize > MaxMftRecordSize) return false;

        var clusters = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(Field.NumberOfSectors)) / (ulong)sectorsPerCluster;
        var mft = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(Field.MftCluster));
        if (mft > clusters || BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(Field.MftMirrorCluster)) > clusters) return false;
        if (mft > (ulong)(long.MaxValue / MaxClusterSize)) return false;   // keeps the byte offset below from overflowing
        var mftOffset = (long)mft * sectorSize * sectorsPerCluster;

        // $MFT itself (record 0) and $Volume (record 3) must both start with "FILE".
        var first = BlockRead.Bytes(source, mftOffset, recordSize);
        if (first is null || !first.AsSpan(MftRecord.Magic, 4).SequenceEqual("FILE"u8)) return false;
        var volume = BlockRead.Bytes(source, mftOffset + MftRecord.VolumeRecord * recordSize, recordSize);
        if (volume is null || !volume.AsSpan(MftRecord.Magic, 4).SequenceEqual("FILE"u8)) return false;
        bs = b;
        record = volume;
        return true;
    }
}
