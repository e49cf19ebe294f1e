// Copies a scanned tree into a directory keeping what a root filesystem needs: file type, mode
// (setuid, setgid, sticky), owner, timestamps, symlinks, hard links, device nodes, fifos and
// sockets (see FileMetadata). Directories get their mode and times last, after their contents, so
// read-only directories and mtimes survive.
using Preinit.Boot.Platform;
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
                    FileMetadata.CopyData(source, target);
                    break;
                case Libc.S_IFLNK:
                    Libc.Symlink(Libc.Readlink(source), target);
                    break;
                default: // character and block devices, fifos, sockets
                    Libc.Mknod(target, stat.FileType | 0b110_000_000, stat.RawDevice);
                    break;
            }
            FileMetadata.Apply(target, stat);
        }

        for (var i = directories.Count - 1; i >= 0; i--)
            FileMetadata.Apply(directories[i].Path, directories[i].Stat);
    }
}
