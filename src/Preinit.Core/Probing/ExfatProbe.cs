// exFAT (Microsoft "exFAT file system specification", 3.1 Main Boot Sector, 7.3 Volume Label
// directory entry). Label from the root directory's volume-label entry (UTF-16LE, at most 11
// characters); UUID the volume serial as "XXXX-XXXX"; VERSION "major.minor" (libblkid's exfat.c).
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class ExfatProbe
{
    private static class Field
    {
        public const int FileSystemName = 3, MustBeZero = 11, MustBeZeroLength = 53, FatOffset = 80, ClusterHeapOffset = 88,
            ClusterCount = 92, FirstClusterOfRootDirectory = 96, VolumeSerialNumber = 100, RevisionMinor = 104,
            RevisionMajor = 105, BytesPerSectorShift = 108, SectorsPerClusterShift = 109, NumberOfFats = 110;
        public const int BootSectorSize = 512;
    }

    private static class Entry
    {
        public const int Type = 0, CharacterCount = 1, VolumeLabel = 2, VolumeLabelLength = 22, Size = 32;
        public const byte EndOfDirectory = 0x00, VolumeLabelType = 0x83;
    }

    private const uint FirstDataCluster = 2, LastDataCluster = 0x0FFFFFF6;
    private const int MaxEntries = 10000;   // root directory entries looked at, as libblkid bounds it
    private static ReadOnlySpan<byte> Magic => "EXFAT   "u8;

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        if (!TryRead(source, out var bs)) return false;
        var label = FindLabel(source, bs);
        result = new ProbeResult("exfat",
            label.IsEmpty ? null : BlkidText.Utf16Label(label, bigEndian: false),
            BlkidText.Serial32(bs.AsSpan(Field.VolumeSerialNumber, 4)),
            $"{bs[Field.RevisionMajor]}.{bs[Field.RevisionMinor]}");
        return true;
    }

    /// <summary>The dos partition table prober ignores an exFAT boot sector (as libblkid does from 2.39 on; 2.38
    /// reports an empty "dos" table on every exFAT stick without a partition table).</summary>
    public static bool LooksLikeExfat(IBlockSource source) => TryRead(source, out _);

    private static bool TryRead(IBlockSource source, [NotNullWhen(true)] out byte[]? bs)
    {
        bs = null;
        if (!BlockRead.HasMagic(source, 0, Field.FileSystemName, Magic)) return false;
        var b = BlockRead.Bytes(source, 0, Field.BootSectorSize);
        if (b is null) return false;
        // Ranges from the specification (3.1.14-3.1.17, 3.1.8): libblkid 2.38 only refuses a zero cluster
        // size, later versions check these too; they also keep every shift below defined.
        if (!BlkidText.IsZero(b.AsSpan(Field.MustBeZero, Field.MustBeZeroLength))) return false;
        byte sectorShift = b[Field.BytesPerSectorShift], clusterShift = b[Field.SectorsPerClusterShift];
        if (sectorShift is < 9 or > 12 || clusterShift > 25 - sectorShift) return false;
        if (b[Field.NumberOfFats] is < 1 or > 2) return false;
        var root = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.FirstClusterOfRootDirectory));
        var clusters = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(Field.ClusterCount));
        if (root < FirstDataCluster || root > (ulong)clusters + 1) return false;
        bs = b;
        return true;
    }

    /// <summary>The volume-label entry's characters (2 bytes each, at most 11), or empty when there is none.</summary>
    private static ReadOnlySpan<byte> FindLabel(IBlockSource source, byte[] bs)
    {
        int sectorShift = bs[Field.BytesPerSectorShift], clusterShift = bs[Field.SectorsPerClusterShift];
        long clusterSize = 1L << (sectorShift + clusterShift);
        long heap = BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.ClusterHeapOffset));
        long fat = (long)BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.FatOffset)) << sectorShift;
        long ClusterOffset(uint c) => (heap << sectorShift) + (((long)c - FirstDataCluster) << (sectorShift + clusterShift));

        var cluster = BinaryPrimitives.ReadUInt32LittleEndian(bs.AsSpan(Field.FirstClusterOfRootDirectory));
        var offset = ClusterOffset(cluster);
        var entry = new byte[Entry.Size];
        Span<byte> next = stackalloc byte[4];
        for (var i = 0; i < MaxEntries; i++)
        {
            if (!BlockRead.TryFill(source, offset, entry)) return default;
            if (entry[Entry.Type] == Entry.EndOfDirectory) return default;
            if (entry[Entry.Type] == Entry.VolumeLabelType)
                return entry.AsSpan(Entry.VolumeLabel, Math.Min(entry[Entry.CharacterCount] * 2, Entry.VolumeLabelLength));
            offset += Entry.Size;
            if (offset % clusterSize == 0)
            {
                // End of a cluster: the FAT gives the next one of the root directory.
                if (!BlockRead.TryFill(source, fat + (long)cluster * 4, next)) return default;
                cluster = BinaryPrimitives.ReadUInt32LittleEndian(next);
                if (cluster < FirstDataCluster || cluster > LastDataCluster) return default;
                offset = ClusterOffset(cluster);
            }
        }
        return default;
    }
}
