// Which filesystems can hold the root's changes (or the whole root), decided before anything is
// mounted, as OpenWrt's block.c mount_extroot decides it: ext2/3/4, f2fs, btrfs, ntfs and ubifs.
// Anything else (vfat, exfat, xfs, swap...) cannot hold an overlay's upper layer, and the answer
// is the command that makes the stick one that can.
namespace Preinit.Core.Extroot;

public static class ExtrootFilesystem
{
    private static readonly string[] Prefixes = ["ext", "f2fs", "btrfs", "ntfs", "ubifs"];

    /// <summary>Why <paramref name="device"/> with filesystem <paramref name="type"/> cannot be the extroot, or null.</summary>
    public static string? Refusal(string? type, string device)
    {
        if (type is not null)
            foreach (var prefix in Prefixes)
                if (type.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return $"{device} holds {type ?? "no filesystem"}, which cannot hold the root's changes (ext4, f2fs, btrfs, ntfs or ubifs can, " +
            $"as OpenWrt's block says); {Reformat(device)}";
    }

    /// <summary>The advice for a stick whose filesystem cannot hold the root's changes, with the command.</summary>
    public static string Reformat(string device) =>
        $"make it ext4 (this erases it, so copy its files first): mkfs.ext4 -L rootfs_data {device}";

    /// <summary>Whether a stick block.c accepts still cannot take an overlay's upper layer (no xattrs or d_type): ntfs.</summary>
    public static bool LacksOverlaySupport(string type) => type.StartsWith("ntfs", StringComparison.Ordinal);
}
