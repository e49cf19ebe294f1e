// Copies a scanned tree into a directory keeping what a root filesystem needs: file type, mode
// (setuid, setgid, sticky), owner, timestamps, symlinks, hard links, device nodes, fifos and
// sockets. File data moves with sendfile(2) (no user-space buffer). Directories get their
// mode and times last, after their contents, so read-only directories and mtimes survive.
using Preinit.Interop;

namespace Preinit.Boot.Image;

public static class TreeCopier
{
    /// <summary>Copies <paramref name="scan"/> into <paramref name="destination"/> (an existing directory).</summary>
    /// <exception cref="SystemCallException">With Errno ENOSPC when the destination is full.</exception>
    public static void Copy(TreeScan scan, string destination)
    {
        var linked = new Dictionary<ulong, string>();
        var directories = new List<(string Path, statx Stat)>();

        foreach (var entry in scan.Entries)
        {
            var source = entry.RelativePath.Length == 0 ? scan.Root : Path.Combine(scan.Root, entry.RelativePath);
            var target = entry.RelativePath.Length == 0 ? destination : Path.Combine(destination, entry.RelativePath);
            var stat = entry.Stat;

            if (stat.FileType != Libc.S_IFDIR && stat.stx_nlink > 1)
            {
                if (linked.TryGetValue(stat.stx_ino, out var first)) { Libc.Link(first, target); continue; }
                linked[stat.stx_ino] = target;
            }

            switch (stat.FileType)
            {
                case Libc.S_IFDIR:
                    if (entry.RelativePath.Length != 0) Libc.Mkdir(target, 0b111_000_000);
                    directories.Add((target, stat));
                    continue;
                case Libc.S_IFREG:
                    CopyData(source, target);
                    break;
                case Libc.S_IFLNK:
                    Libc.Symlink(Libc.Readlink(source), target);
                    break;
                default: // character and block devices, fifos, sockets
                    Libc.Mknod(target, stat.FileType | 0b110_000_000, stat.RawDevice);
                    break;
            }
            ApplyMetadata(target, stat);
        }

        for (var i = directories.Count - 1; i >= 0; i--)
            ApplyMetadata(directories[i].Path, directories[i].Stat);
    }

    /// <summary>Owner first: chown clears setuid/setgid, so the mode is set after it. Symlinks have no mode of their own.</summary>
    private static void ApplyMetadata(string path, statx stat)
    {
        Libc.Lchown(path, stat.stx_uid, stat.stx_gid);
        if (stat.FileType != Libc.S_IFLNK) Libc.Chmod(path, stat.stx_mode & 0b111_111_111_111u);
        Libc.Lutimes(path, stat.stx_atime.ToTimespec(), stat.stx_mtime.ToTimespec());
    }

    private static void CopyData(string source, string target)
    {
        var input = Libc.Open(source, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW);
        try
        {
            var output = Libc.Open(target, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0b110_000_000);
            try
            {
                while (Libc.Sendfile(output, input, 1 << 30) > 0) { }
            }
            finally { Libc.Close(output); }
        }
        finally { Libc.Close(input); }
    }
}
