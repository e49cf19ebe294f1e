// FAT12, FAT16 and FAT32 (Microsoft "FAT: General Overview of On-Disk Format" 1.03: boot sector and BPB,
// directory entries, FSInfo). Sanity checks, label and serial follow libblkid's vfat.c:
//  - LABEL is the volume-label entry of the root directory only. The boot sector's label is what
//    blkid 2.38 calls LABEL_FATBOOT, and it is NOT a fallback for LABEL: a FAT whose root directory
//    has no label entry has no LABEL in blkid -p, whatever the boot sector says (checked in the tests);
//    the root entry "NO NAME" is a label like any other.
//  - UUID is the volume serial "XXXX-XXXX" (uppercase), VERSION FAT12/FAT16/FAT32.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class VfatProbe
{
    private static class Field
    {
        // BPB common to all FAT types
        public const int Jump = 0x00, SectorSize = 0x0B, ClusterSize = 0x0D, Reserved = 0x0E, Fats = 0x10,
            DirEntries = 0x11, Sectors = 0x13, Media = 0x15, FatLength = 0x16, TotalSectors = 0x20;
        // FAT12/16 extended BPB
        public const int BootSignature16 = 0x26, Serial16 = 0x27, FsType16 = 0x36;
        // FAT32 extended BPB
        public const int Fat32Length = 0x24, RootCluster = 0x2C, FsInfoSector = 0x30, Serial32 = 0x43, FsType32 = 0x52;
        public const int Signature = 0x1FE;
        public const int BootSectorSize = 512, LabelLength = 11;
    }

    private static class DirEntry
    {
        public const int Name = 0, Attr = 11, ClusterHigh = 20, ClusterLow = 26, Size = 32;
        public const byte AttrVolumeId = 0x08, AttrDirectory = 0x10, AttrLongName = 0x0F, AttrMask = 0x3F;
        public const byte EndOfDirectory = 0x00, Free = 0xE5, KanjiE5 = 0x05;
    }

    private static class FsInfo
    {
        public const int Signature1 = 0, Signature2 = 484, Size = 512;
    }

    // Largest cluster counts per type (the spec's 4085/65525 boundaries as libblkid writes them).
    private const uint Fat12Max = 0xFF4, Fat16Max = 0xFFF4, Fat32Max = 0x0FFFFFF6;
    private const int Fat32MaxChain = 99;           // root directory clusters followed, as libblkid does
    private const long TinyDevice = 1440 * 1024;    // a floppy: libblkid reads the root directory entry by entry

    // The boot sector magics libblkid tries, in its order; a one- or two-byte match needs more checks.
    private static readonly (int Offset, byte[] Magic)[] Magics =
    [
        (Field.FsType32, "MSWIN"u8.ToArray()), (Field.FsType32, "FAT32   "u8.ToArray()),
        (Field.FsType16, "MSDOS"u8.ToArray()), (Field.FsType16, "FAT16   "u8.ToArray()),
        (Field.FsType16, "FAT12   "u8.ToArray()), (Field.FsType16, "FAT     "u8.ToArray()),
        (Field.Jump, [0xEB]), (Field.Jump, [0xE9]), (Field.Signature, [0x55, 0xAA]),
    ];

    private readonly record struct Geometry(ushort SectorSize, ushort Reserved, uint FatSize, uint ClusterCount);

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!TryReadValid(source, out var bs, out var g)) return false;

        byte[]? label = null;
        ReadOnlySpan<byte> serial = default;
        string? version = null;
        var tiny = source.Length <= TinyDevice;
        var fatLength16 = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.FatLength));
        var fatLength32 = BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.Fat32Length));

        if (fatLength16 != 0)
        {
            // FAT12/16: a fixed root directory right after the FATs. 32-bit arithmetic wraps as in libblkid.
            var rootStart = unchecked((g.Reserved + g.FatSize) * g.SectorSize);
            label = SearchLabel(source, rootStart, BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.DirEntries)), tiny);
            if (bs[Field.BootSignature16] is 0x28 or 0x29) serial = bs.AsSpan(Field.Serial16, 4);
            version = g.ClusterCount < Fat12Max ? "FAT12" : g.ClusterCount < Fat16Max ? "FAT16" : null;
        }
        else if (fatLength32 != 0)
        {
            // FAT32: the root directory is a cluster chain; follow at most Fat32MaxChain clusters.
            uint clusterSize = bs[Field.ClusterSize];
            var clusterBytes = clusterSize * g.SectorSize;
            var dataStart = g.Reserved + g.FatSize;
            var fatEntries = (uint)((ulong)fatLength32 * g.SectorSize / 4);
            var next = BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.RootCluster));
            Span<byte> entry = stackalloc byte[4];
            for (var hops = 0; next != 0 && next < fatEntries && hops < Fat32MaxChain; hops++)
            {
                var offset = (ulong)unchecked(dataStart + (next - 2) * clusterSize) * g.SectorSize;
                label = SearchLabel(source, offset, clusterBytes / DirEntry.Size, tiny);
                if (label is not null) break;
                // libblkid reads a whole cluster's worth at the FAT entry: the chain ends where that does not fit.
                var fatEntry = (long)g.Reserved * g.SectorSize + (long)next * 4;
                if (!BlockRead.Fits(source, fatEntry, clusterBytes)) break;
                if (!BlockRead.TryFill(source, fatEntry, entry)) break;
                next = BinaryPrimitives.ReadUInt32LittleEndian(entry) & 0x0FFFFFFF;
            }
            version = "FAT32";
            serial = bs.AsSpan(Field.Serial32, 4);

            // FSInfo must carry its signatures, or be all zero (some formatters leave it blank).
            var fsInfoSector = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.FsInfoSector));
            if (fsInfoSector != 0)
            {
                if (BlockRead.Bytes(source, (long)fsInfoSector * g.SectorSize, FsInfo.Size) is not { } info) return false;
                var s1 = info.AsSpan(FsInfo.Signature1, 4);
                var s2 = info.AsSpan(FsInfo.Signature2, 4);
                if (!s1.SequenceEqual("RRaA"u8) && !s1.SequenceEqual("RRdA"u8) && !BlkidText.IsZero(s1)) return false;
                if (!s2.SequenceEqual("rrAa"u8) && !BlkidText.IsZero(s2)) return false;
            }
        }

        result = new ProbeResult("vfat", label is null ? null : BlkidText.Label(label),
            serial.IsEmpty ? null : BlkidText.Serial32(serial), version);
        return true;
    }

    /// <summary>blkid_probe_is_vfat: the dos partition table prober ignores a sector 0 that is a FAT boot sector.</summary>
    public static bool LooksLikeFat(IBlockSource source) => TryReadValid(source, out _, out _);

    private static bool TryReadValid(IBlockSource source, [NotNullWhen(true)] out byte[]? bs, out Geometry geometry)
    {
        geometry = default;
        bs = BlockRead.Bytes(source, 0, 1024);   // the KiB libblkid reads to look for the magics
        if (bs is null) return false;
        var magicLength = 0;
        foreach (var (offset, magic) in Magics)
            if (bs.AsSpan(offset, magic.Length).SequenceEqual(magic)) { magicLength = magic.Length; break; }
        if (magicLength == 0) return false;
        return IsValid(source, bs, magicLength, out geometry);
    }

    /// <summary>libblkid's fat_valid_superblock: a BPB that describes a possible FAT of the type its FAT size implies.</summary>
    private static bool IsValid(IBlockSource source, byte[] bs, int magicLength, out Geometry geometry)
    {
        geometry = default;
        if (magicLength <= 2)
        {
            // Only a jump or the 55 AA signature matched: require the signature, and rule out the FAT-like
            // pseudo boot sectors OS/2 puts in front of JFS and HPFS.
            if (bs[Field.Signature] != 0x55 || bs[Field.Signature + 1] != 0xAA) return false;
            var fsType = bs.AsSpan(Field.FsType16, 8);
            if (fsType.SequenceEqual("JFS     "u8) || fsType.SequenceEqual("HPFS    "u8)) return false;
        }
        byte fats = bs[Field.Fats], media = bs[Field.Media], clusterSize = bs[Field.ClusterSize];
        var reserved = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.Reserved));
        if (fats == 0 || reserved == 0) return false;
        if (!(media >= 0xF8 || media == 0xF0)) return false;
        if (!IsPowerOfTwo(clusterSize)) return false;
        var sectorSize = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.SectorSize));
        if (!IsPowerOfTwo(sectorSize) || sectorSize < 512 || sectorSize > 4096) return false;

        var dirEntries = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.DirEntries));
        uint sectors = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.Sectors));
        if (sectors == 0) sectors = BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.TotalSectors));
        var fatLength16 = BinaryPrimitives.ReadUInt16LittleEndian(bs.AsSpan(Field.FatLength));
        var fatLength32 = BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.Fat32Length));
        uint fatLength = fatLength16 != 0 ? fatLength16 : fatLength32;

        // libblkid computes in unsigned 32 bits; a nonsense BPB wraps and fails the cluster-count test.
        var fatSize = unchecked(fatLength * fats);
        var dirSize = (uint)((dirEntries * DirEntry.Size + (sectorSize - 1)) / sectorSize);
        var clusterCount = unchecked(sectors - (reserved + fatSize + dirSize)) / clusterSize;
        var maxCount = fatLength16 == 0 && fatLength32 != 0 ? Fat32Max : clusterCount > Fat12Max ? Fat16Max : Fat12Max;
        if (clusterCount > maxCount) return false;
        if (IsBitLocker(source, bs)) return false;
        geometry = new Geometry(sectorSize, reserved, fatSize, clusterCount);
        return true;
    }

    /// <summary>The root directory's volume-label entry (11 bytes), scanning at most entries entries from offset.</summary>
    private static byte[]? SearchLabel(IBlockSource source, ulong offset, uint entries, bool tiny)
    {
        if (offset > long.MaxValue) return null;
        // libblkid reads the whole directory in one go on a disk (so all of it must be inside the device),
        // entry by entry on a floppy (so the entries up to the end of the device count).
        if (!tiny && (entries == 0 || !BlockRead.Fits(source, (long)offset, (long)entries * DirEntry.Size))) return null;
        const int entriesPerChunk = 128;
        var chunk = new byte[entriesPerChunk * DirEntry.Size];
        for (uint i = 0; i < entries; i += entriesPerChunk)
        {
            var count = (int)Math.Min(entriesPerChunk, entries - i);
            var at = (long)offset + (long)i * DirEntry.Size;
            var available = BlockRead.Fits(source, at, 0) ? (int)Math.Min(count, (source.Length - at) / DirEntry.Size) : 0;
            if (available <= 0 || !BlockRead.TryFill(source, at, chunk.AsSpan(0, available * DirEntry.Size))) return null;
            for (var e = 0; e < available; e++)
            {
                var entry = chunk.AsSpan(e * DirEntry.Size, DirEntry.Size);
                if (entry[DirEntry.Name] == DirEntry.EndOfDirectory) return null;
                if (entry[DirEntry.Name] == DirEntry.Free
                    || BinaryPrimitives.ReadUInt16LittleEndian(entry[DirEntry.ClusterHigh..]) != 0
                    || BinaryPrimitives.ReadUInt16LittleEndian(entry[DirEntry.ClusterLow..]) != 0
                    || (entry[DirEntry.Attr] & DirEntry.AttrMask) == DirEntry.AttrLongName)
                    continue;
                if ((entry[DirEntry.Attr] & (DirEntry.AttrVolumeId | DirEntry.AttrDirectory)) == DirEntry.AttrVolumeId)
                {
                    var label = entry[..Field.LabelLength].ToArray();
                    if (label[0] == DirEntry.KanjiE5) label[0] = DirEntry.Free;   // 0x05 stands for a leading 0xE5
                    return label;
                }
            }
            if (available < count) return null;   // the device ended inside the directory (floppy case)
        }
        return null;
    }

    // BitLocker (and BitLocker To Go) volumes keep a FAT-like boot sector; libblkid's bitlocker.c tells them
    // apart by the signature and the "-FVE-FS-" metadata block the header points to.
    private static bool IsBitLocker(IBlockSource source, byte[] bs)
    {
        const int win7MetadataOffset = 176, toGoMetadataOffset = 440;
        var head = bs.AsSpan(0, 11);
        if (head.SequenceEqual(VistaMagic)) return true;   // Vista's header has no metadata pointer to check
        long metadata;
        if (head.SequenceEqual(Win7Magic)) metadata = (long)BinaryPrimitives.ReadUInt64LittleEndian(bs.AsSpan(win7MetadataOffset));
        else if (head.SequenceEqual(ToGoMagic)) metadata = (long)BinaryPrimitives.ReadUInt64LittleEndian(bs.AsSpan(toGoMetadataOffset));
        else return false;
        if (metadata == 0) return false;
        Span<byte> signature = stackalloc byte[8];
        return BlockRead.TryFill(source, metadata, signature) && signature.SequenceEqual("-FVE-FS-"u8);
    }

    private static ReadOnlySpan<byte> VistaMagic =>
        [0xEB, 0x52, 0x90, (byte)'-', (byte)'F', (byte)'V', (byte)'E', (byte)'-', (byte)'F', (byte)'S', (byte)'-'];
    private static ReadOnlySpan<byte> Win7Magic =>
        [0xEB, 0x58, 0x90, (byte)'-', (byte)'F', (byte)'V', (byte)'E', (byte)'-', (byte)'F', (byte)'S', (byte)'-'];
    private static ReadOnlySpan<byte> ToGoMagic =>
        [0xEB, 0x58, 0x90, (byte)'M', (byte)'S', (byte)'W', (byte)'I', (byte)'N', (byte)'4', (byte)'.', (byte)'1'];

    private static bool IsPowerOfTwo(uint n) => n != 0 && (n & (n - 1)) == 0;
}
