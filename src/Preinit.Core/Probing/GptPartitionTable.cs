// GUID partition tables (UEFI specification 2.10, 5.3 "GUID Partition Table (GPT) Disk Layout"): a
// protective MBR, the header at LBA 1 (or its backup in the last LBA when the primary is damaged) with
// CRC-32s over itself and over the entry array. PTUUID is the disk GUID, PARTUUID the entry's unique
// GUID (lowercase, the mixed-endian GUID byte order), PARTLABEL its UTF-16LE name (libblkid partitions/gpt.c).
using System.Buffers.Binary;

namespace Preinit.Core.Probing;

internal static class GptPartitionTable
{
    private static class Header
    {
        public const int Signature = 0, HeaderSize = 12, HeaderCrc = 16, MyLba = 24, FirstUsableLba = 40,
            LastUsableLba = 48, DiskGuid = 56, EntriesLba = 72, EntryCount = 80, EntrySize = 84, EntriesCrc = 88;
        public const int MinSize = 92;
    }

    private static class Entry
    {
        public const int TypeGuid = 0, UniqueGuid = 16, FirstLba = 32, LastLba = 40, Name = 56;
        public const int NameLength = 72, Size = 128;
    }

    private const ulong Signature = 0x5452415020494645;   // "EFI PART"
    private const long PrimaryLba = 1;
    private const int MbrTypeOffset = 446 + 4, MbrEntrySize = 16, MbrSignature = 510;
    private const byte TypeGptProtective = 0xEE;

    public static bool TryRead(IBlockSource source, out (string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions)? table)
    {
        table = null;
        const int sector = PartitionTableProbe.SectorSize;
        if (source.Length < sector) return false;
        var lastLba = source.Length / sector - 1;
        if (!HasProtectiveMbr(source)) return false;
        if (!TryHeader(source, PrimaryLba, lastLba, out var header, out var entries)
            && !TryHeader(source, lastLba, lastLba, out header, out entries))
            return false;

        var firstUsable = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(Header.FirstUsableLba));
        var lastUsable = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(Header.LastUsableLba));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(Header.EntryCount));
        var parts = new List<PartitionInfo>();
        // Partition numbers are entry slots: unused entries and entries outside the usable area are skipped
        // but counted, as the kernel numbers them.
        for (var i = 0; i < count; i++)
        {
            var e = entries.AsSpan(i * Entry.Size, Entry.Size);
            if (BlkidText.IsZero(e.Slice(Entry.TypeGuid, 16))) continue;
            var first = BinaryPrimitives.ReadUInt64LittleEndian(e[Entry.FirstLba..]);
            var last = BinaryPrimitives.ReadUInt64LittleEndian(e[Entry.LastLba..]);
            // Inside the usable area, as libblkid checks; and (unlike libblkid 2.38, which then reports a size of
            // nearly 2^64 sectors) not ending before it starts.
            if (first < firstUsable || last > lastUsable || last < first) continue;
            // lastUsable is at most the device's last LBA, so these products fit in a long.
            parts.Add(new PartitionInfo(i + 1, (long)first * sector, (long)(last - first + 1) * sector,
                Guid(e.Slice(Entry.UniqueGuid, 16)), BlkidText.Utf16Label(e.Slice(Entry.Name, Entry.NameLength), bigEndian: false), "gpt"));
        }
        table = ("gpt", Guid(header.AsSpan(Header.DiskGuid, 16)), parts);
        return true;
    }

    /// <summary>Sector 0 carries 55 AA and a partition of type 0xEE (libblkid does not require the MBR to be
    /// otherwise sane; nor does it probe GPT without it, and neither do we).</summary>
    private static bool HasProtectiveMbr(IBlockSource source)
    {
        var mbr = BlockRead.Bytes(source, 0, PartitionTableProbe.SectorSize);
        if (mbr is null || mbr[MbrSignature] != 0x55 || mbr[MbrSignature + 1] != 0xAA) return false;
        for (var i = 0; i < 4; i++)
            if (mbr[MbrTypeOffset + i * MbrEntrySize] == TypeGptProtective) return true;
        return false;
    }

    /// <summary>A header at lba that passes every check, and its entry array (whose CRC matches).</summary>
    private static bool TryHeader(IBlockSource source, long lba, long lastLba, out byte[] header, out byte[] entries)
    {
        header = entries = [];
        const int sector = PartitionTableProbe.SectorSize;
        var h = BlockRead.Bytes(source, lba * sector, sector);
        if (h is null || BinaryPrimitives.ReadUInt64LittleEndian(h) != Signature) return false;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Header.HeaderSize));
        if (size > sector || size < Header.MinSize) return false;
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Header.HeaderCrc));
        var copy = h.AsSpan(0, (int)size).ToArray();
        copy.AsSpan(Header.HeaderCrc, 4).Clear();   // the CRC is computed with its own field zeroed
        if (Crc32.Compute(copy) != stored) return false;
        if (BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(Header.MyLba)) != (ulong)lba) return false;

        var firstUsable = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(Header.FirstUsableLba));
        var lastUsable = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(Header.LastUsableLba));
        if (lastUsable < firstUsable || firstUsable > (ulong)lastLba || lastUsable > (ulong)lastLba) return false;
        if (firstUsable < (ulong)lba && (ulong)lba < lastUsable) return false;   // a header inside the usable area

        var count = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Header.EntryCount));
        var entrySize = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Header.EntrySize));
        // libblkid takes only 128-byte entries; the array is capped at BlockRead.MaxBytes (8192 entries, 64
        // times the usual 128) where libblkid allows up to 4 GiB.
        var arrayBytes = (ulong)count * entrySize;
        if (entrySize != Entry.Size || arrayBytes == 0 || arrayBytes > BlockRead.MaxBytes) return false;
        var entriesLba = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(Header.EntriesLba));
        if (entriesLba > (ulong)(long.MaxValue / sector)) return false;
        var e = BlockRead.Bytes(source, (long)entriesLba * sector, (long)arrayBytes);
        if (e is null || Crc32.Compute(e) != BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(Header.EntriesCrc))) return false;
        header = h;
        entries = e;
        return true;
    }

    // GUIDs on disk keep their first three fields little-endian (UEFI Appendix A); .NET's Guid(byte[]) reads
    // the same layout, and "D" formatting is lowercase as blkid prints it.
    private static string Guid(ReadOnlySpan<byte> bytes) => new Guid(bytes).ToString("D");
}
