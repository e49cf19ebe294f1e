// Room left on a mounted stick. overlayfs needs a few blocks and inodes for its work directory
// before it mounts read-write (without them it mounts read-only), and every saved change needs
// more; preinit runs as root, so the blocks reserved for root count as free.
using Preinit.Core.Sizes;

namespace Preinit.Core.Extroot;

/// <param name="TotalInodes">0 for filesystems without an inode table (vfat, btrfs): then inodes never make it full.</param>
public sealed record StickSpace(long FreeBytes, long FreeInodes, long TotalInodes)
{
    public const long MinFreeBytes = 1 << 20, MinFreeInodes = 64;

    public bool Full => FreeBytes < MinFreeBytes || (TotalInodes > 0 && FreeInodes < MinFreeInodes);

    public override string ToString() =>
        TotalInodes > 0 ? $"{ByteSize.Human(FreeBytes)} and {FreeInodes} inodes free" : $"{ByteSize.Human(FreeBytes)} free";

    /// <summary>What to do about a full stick mounted on <paramref name="target"/>, in words.</summary>
    public static string MakeRoom(string target) =>
        $"make room: delete what is not needed under {target}/upper (the saved changes; {target} is where the stick is " +
        "after boot), or copy it to a bigger stick labelled the same";
}
