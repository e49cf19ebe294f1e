// Each filesystem's own tool for setting its label, as a program and an argument list.
namespace Preinit.Core.Devices;

public sealed record LabelCommand(string Program, IReadOnlyList<string> Arguments, string Package)
{
    public override string ToString() => $"{Program} {string.Join(' ', Arguments.Select(Quote))}";

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "/_.-=:".Contains(c)) ? a
        : $"'{a.Replace("'", "'\\''")}'";
}

public static class LabelTool
{
    /// <summary>The command that gives <paramref name="device"/> (of this filesystem type) the label, or null if none exists.</summary>
    public static LabelCommand? For(string? type, string device, string label) => type switch
    {
        "ext2" or "ext3" or "ext4" => new("e2label", [device, label], "e2fsprogs"),
        "vfat" => new("fatlabel", [device, label], "dosfstools"),
        "exfat" => new("exfatlabel", [device, label], "exfatprogs"),
        "ntfs" => new("ntfslabel", [device, label], "ntfs-3g"),
        "btrfs" => new("btrfs", ["filesystem", "label", device, label], "btrfs-progs"),
        "xfs" => new("xfs_admin", ["-L", label, device], "xfsprogs"),
        "f2fs" => new("f2fslabel", [device, label], "f2fs-tools"),
        "swap" => new("swaplabel", ["-L", label, device], "util-linux"),
        _ => null,
    };
}
