// The checker for each filesystem type: program names to look for (the initramfs carries
// e2fsck.static), the arguments for an unattended repair, the package that provides it, and how
// its exit status maps onto fsck(8)'s.
namespace Preinit.Core.Fsck;

/// <param name="FailureReport">The line of the checker's output that says the check itself failed (the device could not
/// be read or written), for a checker whose status alone does not tell; null when there is none.</param>
public sealed record FsckChecker(string Type, IReadOnlyList<string> Programs, IReadOnlyList<string> Arguments,
    string Package, Func<int, int> ToFsckStatus, Func<IReadOnlyList<string>, string?>? FailureReport = null)
{
    public string Name => $"fsck_{Type}";

    /// <summary>The status as fsck(8) bits, with a reported failure of the check as an operational error.</summary>
    public int Status(int exitCode, IReadOnlyList<string> output) =>
        exitCode != 0 && FailureReport?.Invoke(output) is not null ? FsckPolicy.OperationalError : ToFsckStatus(exitCode);
}

public static class FsckCheckers
{
    private static int Same(int status) => status;

    /// <summary>dosfstools fsck.fat: 0 clean, 1 errors found (repaired with -a), 2 usage error (not accessed).</summary>
    private static int FatStatus(int status) => status switch
    {
        0 => 0,
        1 => FsckPolicy.Corrected,
        2 => FsckPolicy.UsageError,
        _ => FsckPolicy.OperationalError,
    };

    /// <summary>dosfstools' die() exits with 1, the status of "errors corrected": a sector it could not read ("Failed to
    /// read sector N.", "Read N bytes at ...") or write, or a device it could not open, only shows in its output.</summary>
    private static string? FatFailure(IReadOnlyList<string> output) => output.FirstOrDefault(line =>
        line.Contains("Failed to read", StringComparison.Ordinal) || line.Contains("Failed to write", StringComparison.Ordinal)
        || line.StartsWith("Read ", StringComparison.Ordinal) && line.Contains(" bytes at ", StringComparison.Ordinal)
        || line.StartsWith("Write ", StringComparison.Ordinal) && line.Contains(" bytes at ", StringComparison.Ordinal)
        || line.StartsWith("open ", StringComparison.Ordinal) || line.StartsWith("Can't open", StringComparison.Ordinal));

    /// <summary>In the order the 2011 patch tried them when no type is known.</summary>
    public static readonly IReadOnlyList<FsckChecker> All =
    [
        new("ext2", ["e2fsck", "e2fsck.static"], ["-p"], "e2fsprogs (or e2fsck-static)", Same),
        new("vfat", ["fsck.fat", "fsck.vfat", "dosfsck"], ["-a", "-w"], "dosfstools", FatStatus, FatFailure),
        new("exfat", ["fsck.exfat"], ["-p"], "exfatprogs", Same),
        new("f2fs", ["fsck.f2fs"], ["-a"], "f2fs-tools", Same),
    ];

    /// <summary>Filesystems that are not checked before mounting, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotChecked = new Dictionary<string, string>
    {
        ["btrfs"] = "btrfs verifies checksums when mounted; btrfs check is an offline repair tool, not run at boot",
        ["xfs"] = "xfs replays its log when mounted; xfs_repair is not run at boot",
        ["ntfs"] = "no Linux checker repairs ntfs safely (ntfsfix only clears the dirty flag)",
        ["swap"] = "swap holds no filesystem",
        ["crypto_LUKS"] = "an encrypted container is checked after it is opened",
        ["iso9660"] = "iso9660 is read-only",
        ["squashfs"] = "squashfs is read-only",
        ["erofs"] = "erofs is read-only",
    };

    /// <summary>The checker for a probed type (ext3 and ext4 use ext2's), or null.</summary>
    public static FsckChecker? For(string type) =>
        All.FirstOrDefault(c => c.Type == (type is "ext3" or "ext4" ? "ext2" : type));
}
