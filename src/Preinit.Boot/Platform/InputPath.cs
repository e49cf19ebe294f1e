// The paths a user gives a verb, checked before anything is done with them, so that a wrong one
// is named in words (what it is, what was expected, what to do) instead of in the runtime's
// ("Could not find file", "Access to the path is denied") or not at all. Each check returns the
// problem, or null when the path will do.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class InputPath
{
    /// <summary>An existing directory to read.</summary>
    public static string? Directory(string path, string what = "directory") =>
        Stat(path) is not { } stat ? $"{path}: no such {what}"
        : stat.FileType != Libc.S_IFDIR ? $"{path} is {FileKind.Describe(stat.stx_mode)}, not a {what}"
        : Libc.Access(path, Libc.R_OK | Libc.X_OK) ? null : $"{path}: permission denied (run as root?)";

    /// <summary>An existing regular file to read.</summary>
    public static string? File(string path, string what = "file") =>
        Stat(path) is not { } stat ? $"{path}: no such {what}"
        : stat.FileType != Libc.S_IFREG ? $"{path} is {FileKind.Describe(stat.stx_mode)}, not a {what}"
        : Libc.Access(path, Libc.R_OK) ? null : $"{path}: permission denied (run as root?)";

    /// <summary>A block device, or an image file standing for one.</summary>
    public static string? DeviceOrImage(string path) =>
        Stat(path) is not { } stat ? $"{path}: no such device or image file"
        : stat.FileType is not (Libc.S_IFBLK or Libc.S_IFREG)
            ? $"{path} is {FileKind.Describe(stat.stx_mode)}, not a block device or an image file"
        : Libc.Access(path, Libc.R_OK) ? null : $"{path}: permission denied (run as root?)";

    /// <summary>A directory something is mounted on (a stick, a new root), not merely a directory.</summary>
    public static string? MountedDirectory(string path, string what) =>
        Directory(path) ?? (MountPoint.Is(path) ? null : $"{path} is a directory with nothing mounted on it: mount the {what} there first");

    /// <summary>A file to be written (made, or replaced when it is a regular file): its directory must take it.</summary>
    public static string? NewFile(string path, string what = "file")
    {
        if (Stat(path) is { } stat && stat.FileType != Libc.S_IFREG)
            return $"{path} is {FileKind.Describe(stat.stx_mode)}: give a file name for the {what} to write";
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (Stat(directory) is not { } parent) return $"the {what} {path} cannot be written: {directory} does not exist";
        if (parent.FileType != Libc.S_IFDIR)
            return $"the {what} {path} cannot be written: {directory} is {FileKind.Describe(parent.stx_mode)}, not a directory";
        var type = Libc.FilesystemType(directory);
        if (type is Libc.PROC_SUPER_MAGIC or Libc.SYSFS_MAGIC)
            return $"the {what} {path} cannot be written: {directory} is in the kernel's " +
                $"{(type == Libc.PROC_SUPER_MAGIC ? "/proc" : "/sys")}, which takes no files; write it to a directory on a disk or a tmpfs";
        return Libc.Access(directory, Libc.W_OK) ? null : $"the {what} {path} cannot be written: {directory}: permission denied";
    }

    private static statx? Stat(string path) => Libc.TryStat(path, out var stat) ? stat : null;
}
