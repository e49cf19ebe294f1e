// MBR partition tables (blkid's "dos"): four primary entries at 446, the disk signature at 440, logical
// partitions in a chain of extended boot records (libblkid partitions/dos.c; the Linux kernel's
// block/partitions/msdos.c). PTUUID is the signature as 8 hex digits, PARTUUID "signature-NN".
using System.Buffers.Binary;

namespace Preinit.Core.Probing;

internal static class MbrPartitionTable
{
    private static class Field
    {
        public const int DiskSignature = 440, Entries = 446, EntrySize = 16, Signature = 510;
        public const int BootIndicator = 0, Type = 4, StartLba = 8, Sectors = 12;
    }

    private const byte TypeGptProtective = 0xEE;
    private static readonly byte[] ExtendedTypes = [0x05, 0x0F, 0x85];   // DOS, W95 (LBA), Linux extended
    private static ReadOnlySpan<byte> AixMagic => [0xC9, 0xC2, 0xD4, 0xC1];

    private const int FirstLogical = 5;
    // Bounds on a hostile EBR chain: libblkid gives up after 100 links that add no partition; we also stop
    // after 256 partitions (the kernel's DISK_MAX_PARTS) or 1024 links.
    private const int MaxFruitlessLinks = 100, MaxPartitions = 256, MaxLinks = 1024;

    public static bool TryRead(IBlockSource source, out (string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions)? table)
    {
        table = null;
        // The magic test reads the first KiB, as libblkid's does.
        if (!BlockRead.HasMagic(source, 0, Field.Signature, [0x55, 0xAA])) return false;
        var mbr = BlockRead.Bytes(source, 0, PartitionTableProbe.SectorSize);
        if (mbr is null || mbr.AsSpan(0, 4).SequenceEqual(AixMagic)) return false;
        for (var i = 0; i < 4; i++)
        {
            var e = Entry(mbr, i);
            if (e[Field.BootIndicator] is not (0x00 or 0x80)) return false;
        }
        for (var i = 0; i < 4; i++)
            if (Entry(mbr, i)[Field.Type] == TypeGptProtective) return false;   // a GPT disk's protective MBR
        // 55 AA also ends every FAT, NTFS and exFAT boot sector: those are filesystems, not tables.
        if (VfatProbe.LooksLikeFat(source) || NtfsProbe.LooksLikeNtfs(source) || ExfatProbe.LooksLikeExfat(source)) return false;

        var signature = BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(Field.DiskSignature));
        var ptuuid = signature == 0 ? null : signature.ToString("x8");
        var parts = new List<PartitionInfo>();
        var starts = new HashSet<uint>();

        // Primary partitions are 1-4 by slot, empty slots included. Extended containers keep their number
        // but are not listed: they hold the logical partitions, never a filesystem.
        for (var i = 0; i < 4; i++)
        {
            var e = Entry(mbr, i);
            uint start = Start(e), size = Sectors(e);
            if (size == 0) continue;
            starts.Add(start);
            if (!IsExtended(e)) parts.Add(Partition(i + 1, start, size, ptuuid));
        }
        var next = FirstLogical;
        for (var i = 0; i < 4; i++)
        {
            var e = Entry(mbr, i);
            if (Sectors(e) != 0 && IsExtended(e)) ReadLogical(source, Start(e), Sectors(e), ptuuid, parts, starts, ref next);
        }
        table = ("dos", ptuuid, parts);
        return true;
    }

    /// <summary>Walks the EBR chain of one extended partition. Sector arithmetic is 32-bit, as in the MBR itself.</summary>
    private static void ReadLogical(IBlockSource source, uint extStart, uint extSize, string? ptuuid,
        List<PartitionInfo> parts, HashSet<uint> starts, ref int next)
    {
        if (extStart == 0) return;
        uint current = extStart, currentSize = extSize;
        var fruitless = 0;
        for (var links = 0; links < MaxLinks && parts.Count < MaxPartitions; links++)
        {
            if (++fruitless > MaxFruitlessLinks) return;
            var ebr = BlockRead.Bytes(source, (long)current * PartitionTableProbe.SectorSize, PartitionTableProbe.SectorSize);
            if (ebr is null || ebr[Field.Signature] != 0x55 || ebr[Field.Signature + 1] != 0xAA) return;

            // Usually entry 1 is the data partition and entry 2 the link; DR-DOS and OS/2 use the others too,
            // so all four are looked at, entries 3 and 4 only when they lie inside the extended partition.
            for (var i = 0; i < 4 && parts.Count < MaxPartitions; i++)
            {
                var e = Entry(ebr, i);
                uint start = Start(e), size = Sectors(e);
                var absolute = unchecked(current + start);
                if (size == 0 || IsExtended(e)) continue;
                if (i >= 2 && (unchecked(start + size) > currentSize || absolute < extStart
                    || unchecked(absolute + size) > unchecked(extStart + extSize)))
                    continue;
                if (!starts.Add(absolute)) continue;   // a loop back to a partition already seen
                parts.Add(Partition(next++, absolute, size, ptuuid));
                fruitless = 0;
            }

            // The first extended entry with a nonzero offset links to the next EBR.
            var linked = false;
            for (var i = 0; i < 4; i++)
            {
                var e = Entry(ebr, i);
                if (Sectors(e) != 0 && IsExtended(e) && Start(e) != 0)
                {
                    current = unchecked(extStart + Start(e));
                    currentSize = Sectors(e);
                    linked = true;
                    break;
                }
            }
            if (!linked) return;
        }
    }

    /// <summary>The four primary entries of an MBR sector, slot 1 to 4: type and extent in sectors (0 sectors: empty).</summary>
    public static IReadOnlyList<(int Slot, byte Type, uint StartLba, uint Sectors)> PrimaryEntries(ReadOnlySpan<byte> sector)
    {
        var entries = new List<(int, byte, uint, uint)>(4);
        for (var i = 0; i < 4; i++)
        {
            var e = sector.Slice(Field.Entries + i * Field.EntrySize, Field.EntrySize);
            entries.Add((i + 1, e[Field.Type], Start(e), Sectors(e)));
        }
        return entries;
    }

    /// <summary>Sets primary entry <paramref name="slot"/> (1-4) of an MBR sector, not bootable. Its CHS fields say
    /// "beyond CHS" (FE FF FF), as fdisk writes them for LBA addresses past 8 GiB: only the LBA fields count.</summary>
    public static void SetPrimaryEntry(Span<byte> sector, int slot, byte type, uint startLba, uint sectors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, 4);
        var e = sector.Slice(Field.Entries + (slot - 1) * Field.EntrySize, Field.EntrySize);
        e.Clear();
        e[Field.BootIndicator] = 0;
        ReadOnlySpan<byte> beyondChs = [0xFE, 0xFF, 0xFF];
        beyondChs.CopyTo(e[1..]);
        e[Field.Type] = type;
        beyondChs.CopyTo(e[5..]);
        BinaryPrimitives.WriteUInt32LittleEndian(e[Field.StartLba..], startLba);
        BinaryPrimitives.WriteUInt32LittleEndian(e[Field.Sectors..], sectors);
        sector[Field.Signature] = 0x55;
        sector[Field.Signature + 1] = 0xAA;
    }

    private static PartitionInfo Partition(int number, uint start, uint size, string? ptuuid) =>
        new(number, (long)start * PartitionTableProbe.SectorSize, (long)size * PartitionTableProbe.SectorSize,
            ptuuid is null ? null : $"{ptuuid}-{number:x2}", null, "dos");

    private static ReadOnlySpan<byte> Entry(byte[] sector, int i) => sector.AsSpan(Field.Entries + i * Field.EntrySize, Field.EntrySize);
    private static uint Start(ReadOnlySpan<byte> e) => BinaryPrimitives.ReadUInt32LittleEndian(e[Field.StartLba..]);
    private static uint Sectors(ReadOnlySpan<byte> e) => BinaryPrimitives.ReadUInt32LittleEndian(e[Field.Sectors..]);
    private static bool IsExtended(ReadOnlySpan<byte> e) => Array.IndexOf(ExtendedTypes, e[Field.Type]) >= 0;
}
