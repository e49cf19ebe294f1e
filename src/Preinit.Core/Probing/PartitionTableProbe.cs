// The partition table of a disk: MBR ("dos") or GPT, tried in libblkid's order (partitions.c idinfos[]:
// dos before gpt; the dos prober steps aside for a protective MBR, a FAT/NTFS/exFAT boot sector).
// Sizes and offsets assume 512-byte logical sectors, as on USB sticks and disk images.
namespace Preinit.Core.Probing;

/// <summary>One partition: its number as the kernel and blkid count (logical MBR partitions from 5), where it
/// is, and blkid's PARTUUID and PARTLABEL.</summary>
public sealed record PartitionInfo(int Number, long StartBytes, long SizeBytes, string? PartUuid, string? PartLabel, string Scheme);

public static class PartitionTableProbe
{
    public const int SectorSize = 512;

    /// <summary>The partition table (PTTYPE "dos" or "gpt", PTUUID) and its partitions, or null if none. A lone
    /// protective MBR without a valid GPT (blkid's "PMBR") is null too.</summary>
    public static (string Type, string? Uuid, IReadOnlyList<PartitionInfo> Partitions)? Probe(IBlockSource source)
    {
        if (MbrPartitionTable.TryRead(source, out var mbr)) return mbr;
        if (GptPartitionTable.TryRead(source, out var gpt)) return gpt;
        return null;
    }
}
