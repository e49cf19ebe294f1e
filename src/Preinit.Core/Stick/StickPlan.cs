// The decision `preinit stick` makes before it writes a byte: where the Live image goes, where the
// rootfs_data partition is (kept, made, or none), or why the target is refused. Pure: it sees sizes
// and what is on the disk, so every rule is tested without a stick.
//  1. The image is written at the start of the disk; a target smaller than what is asked is refused.
//  2. A rootfs_data partition already on the target is kept, with its data: the new image must end
//     before it starts (an update never moves it).
//  3. A new partition starts at the larger of 512 MiB and twice the image (1 MiB aligned), so a larger
//     image later still fits in front of it, and gets SIZE or the rest of the disk (at most what an
//     MBR can address), never less than MinimumPersistence.
//  4. Without an image only the partition is added, after the Live image already on the target.
using Preinit.Core.Sizes;

namespace Preinit.Core.Stick;

/// <summary>How much room the saved changes get: none, a size, or the rest of the disk.</summary>
public readonly record struct Persistence(long? Bytes, bool Rest)
{
    public static readonly Persistence None = new(0, false), RestOfDisk = new(null, true);

    public static bool TryParse(string text, out Persistence persistence)
    {
        persistence = default;
        if (text.Equals("rest", StringComparison.OrdinalIgnoreCase)) { persistence = RestOfDisk; return true; }
        if (!ByteSize.TryParse(text, out var bytes)) return false;
        persistence = new Persistence(bytes, false);
        return true;
    }

    public bool IsNone => !Rest && Bytes == 0;
    public override string ToString() => Rest ? "rest" : ByteSize.Format(Bytes ?? 0);
}

/// <summary>The rootfs_data partition after the write: MBR slot, extent, and whether it is made now (else kept).</summary>
public sealed record DataPartitionPlan(int Slot, long StartBytes, long SizeBytes, bool Create);

/// <summary>What will be written: the image (null: none) and the data partition (null: none).</summary>
public sealed class StickPlan(long? imageBytes, DataPartitionPlan? partition, string? note)
{
    public long? ImageBytes { get; } = imageBytes;
    public DataPartitionPlan? Partition { get; } = partition;
    public string? Note { get; } = note;
}

public sealed class StickDecision(StickPlan? plan, string? refusal)
{
    public StickPlan? Plan { get; } = plan;
    public string? Refusal { get; } = refusal;

    public static StickDecision Refuse(string why) => new(null, why);
    public static StickDecision Go(long? image, DataPartitionPlan? partition, string? note = null) =>
        new(new StickPlan(image, partition, note), null);
}

public static class StickPlanner
{
    public const long Alignment = 1L << 20, MinimumGap = 512L << 20, MinimumPersistence = 16L << 20;
    /// <summary>An MBR entry addresses 2^32 sectors of 512 bytes: 2 TiB.</summary>
    public const long MbrLimit = (1L << 32) * 512;
    public const byte LinuxPartitionType = 0x83;

    /// <summary>Where a new rootfs_data partition starts for an image of this size.</summary>
    public static long DataStart(long imageBytes) => AlignUp(Math.Max(MinimumGap, 2 * imageBytes));

    /// <summary>The size a new image file must have for this image and persistence; null for "rest" (a file has no
    /// rest), which the caller refuses.</summary>
    public static long? NewFileBytes(long imageBytes, Persistence persistence) =>
        persistence.IsNone ? imageBytes : persistence.Rest ? null : DataStart(imageBytes) + AlignUp(persistence.Bytes!.Value);

    /// <param name="image">The new image's contents (null: only add the partition).</param>
    public static StickDecision Plan(DiskContents target, DiskContents? image, Persistence persistence, string targetName)
    {
        if (!persistence.Rest && persistence.Bytes is > 0 and < MinimumPersistence)
            return StickDecision.Refuse($"--persistence {persistence}: the saved changes need at least " +
                $"{ByteSize.Human(MinimumPersistence)}");
        return image is null ? PlanPartitionOnly(target, persistence, targetName) : PlanImage(target, image, persistence, targetName);
    }

    private static StickDecision PlanImage(DiskContents target, DiskContents image, Persistence persistence, string targetName)
    {
        var imageBytes = image.SizeBytes;
        if (image.DataPartition is { } inImage)
            return StickDecision.Refuse($"the image already holds a {DiskContents.DataLabel} partition (slot {inImage.Slot}): " +
                "it is a stick image, not a Live image; give the Live image (live.iso)");
        if (!persistence.IsNone && image.Mbr is null)
            return StickDecision.Refuse("the image has no MBR partition table (it is not a hybrid ISO), so no partition can be " +
                "added after it; write it with --persistence 0, or use a hybrid image such as live.iso");

        if (target.DataPartition is { } kept)
        {
            if (imageBytes > kept.StartBytes)
                return StickDecision.Refuse($"the new image ({ByteSize.Human(imageBytes)}) does not fit in front of the " +
                    $"{DiskContents.DataLabel} partition of {targetName}, which starts at {ByteSize.Human(kept.StartBytes)}; " +
                    "writing it would destroy the saved changes. Copy them off (mount the partition and save its upper/ " +
                    "directory), then write the image with room for them, or use another stick");
            if (image.Mbr is null)
                return StickDecision.Refuse($"the image has no MBR partition table, so the {DiskContents.DataLabel} partition " +
                    "of the stick could not be kept after it; use a hybrid image such as live.iso");
            if (FreeSlotOrNull(image, prefer: kept.Slot) is not int slot)
                return StickDecision.Refuse($"the image's partition table has no free entry for the {DiskContents.DataLabel} partition");
            return StickDecision.Go(imageBytes, new DataPartitionPlan(slot, kept.StartBytes, kept.SizeBytes, Create: false));
        }

        if (persistence.IsNone)
            return target.SizeBytes < imageBytes
                ? StickDecision.Refuse(TooSmall(targetName, target.SizeBytes, imageBytes, $"the image is {ByteSize.Human(imageBytes)}"))
                : StickDecision.Go(imageBytes, null);
        return PlanNewPartition(target, image, imageBytes, persistence, targetName, imageBytes);
    }

    private static StickDecision PlanPartitionOnly(DiskContents target, Persistence persistence, string targetName)
    {
        if (target.LiveImageBytes is not { } live)
            return StickDecision.Refuse($"{targetName} holds no Live image (no iso9660 filesystem at its start); write one " +
                $"with: preinit stick live.iso {targetName}");
        if (target.DataPartition is { } existing)
            return StickDecision.Go(null, new DataPartitionPlan(existing.Slot, existing.StartBytes, existing.SizeBytes, Create: false),
                $"already has a {DiskContents.DataLabel} partition (slot {existing.Slot}, " +
                    $"{ByteSize.Human(existing.SizeBytes)}); nothing to do");
        if (persistence.IsNone)
            return StickDecision.Refuse("--persistence 0 without an image: there is nothing to write");
        if (target.Mbr is null)
            return StickDecision.Refuse($"{targetName} has no MBR partition table, so no partition can be added after its image");
        return PlanNewPartition(target, target, live, persistence, targetName, imageBytes: null);
    }

    private static StickDecision PlanNewPartition(DiskContents target, DiskContents layout, long liveBytes, Persistence persistence,
        string targetName, long? imageBytes)
    {
        // Nothing already on the disk may be overlapped (a partition beyond the image, say).
        var start = Math.Max(DataStart(liveBytes), AlignUp(imageBytes is null ? layout.UsedBytes : liveBytes));
        var usable = Math.Min(target.SizeBytes, MbrLimit) / Alignment * Alignment;
        var wanted = persistence.Rest ? MinimumPersistence : AlignUp(persistence.Bytes!.Value);
        if (usable < start + wanted)
            return StickDecision.Refuse(TooSmall(targetName, target.SizeBytes, start + wanted,
                $"the image is {ByteSize.Human(liveBytes)}, its room to grow ends at {ByteSize.Human(start)}, and the saved changes need " +
                (persistence.Rest ? $"at least {ByteSize.Human(MinimumPersistence)}" : ByteSize.Human(wanted))));
        if (FreeSlotOrNull(layout, prefer: 3) is not int slot)
            return StickDecision.Refuse($"the partition table has no free entry for {DiskContents.DataLabel} (all four are in use)");
        var size = persistence.Rest ? usable - start : wanted;
        var note = persistence.Rest && target.SizeBytes > MbrLimit
            ? "an MBR addresses only 2 TiB: the space beyond it stays unused" : null;
        return StickDecision.Go(imageBytes, new DataPartitionPlan(slot, start, size, Create: true), note);
    }

    /// <summary>The first sector to write: <paramref name="mbr"/> (the image's, or the stick's own) with the data
    /// partition's entry set; unchanged without one.</summary>
    public static byte[] FirstSector(ReadOnlySpan<byte> mbr, DataPartitionPlan? partition)
    {
        var sector = mbr[..Probing.PartitionTableProbe.SectorSize].ToArray();
        if (partition is not null)
            Probing.MbrPartitionTable.SetPrimaryEntry(sector, partition.Slot, LinuxPartitionType,
                checked((uint)(partition.StartBytes / Probing.PartitionTableProbe.SectorSize)),
                checked((uint)(partition.SizeBytes / Probing.PartitionTableProbe.SectorSize)));
        return sector;
    }

    private static string TooSmall(string targetName, long has, long needs, string why) =>
        $"{targetName} is too small: it has {ByteSize.Human(has)} and needs {ByteSize.Human(needs)} ({why})";

    /// <summary>The preferred MBR slot when it is empty, else the first empty one.</summary>
    private static int? FreeSlotOrNull(DiskContents layout, int prefer)
    {
        bool Used(int slot)
        {
            foreach (var p in layout.Partitions) if (p.Slot == slot) return true;
            return false;
        }
        if (!Used(prefer)) return prefer;
        for (var slot = 1; slot <= 4; slot++)
            if (!Used(slot)) return slot;
        return null;
    }

    private static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
}
