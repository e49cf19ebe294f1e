// The stick's next upper layer, built beside the one in use: first the saved changes as they are
// (directories made anew, everything else hard-linked: no data is copied and the saved layer is
// never written to), then the session's changes replayed over them, as if the session had run on
// the stick: a file, link or deletion replaces what the stick had at that name; a directory merges
// with the stick's, unless it is opaque (made anew in the session), when it replaces it whole.
using Preinit.Boot.Platform;
using Preinit.Interop;

namespace Preinit.Boot.Persist;

public sealed class LayerMerge
{
    /// <summary>Session inodes with several names, and the first of those names in the new layer.</summary>
    private readonly Dictionary<ulong, string> _linked = [];

    /// <summary>Builds <paramref name="staging"/> (which must not exist) from <paramref name="saved"/> (the stick's upper
    /// layer, null when it has none) and <paramref name="session"/> (the session's upper layer).</summary>
    public static void Build(string session, string? saved, string staging)
    {
        if (saved is not null) LinkTree(saved, staging);
        else Libc.Mkdir(staging, 0b111_000_000);
        var merge = new LayerMerge();
        merge.Replay(session, staging);
        FileMetadata.Apply(staging, Libc.Lstat(session), attributesFrom: session);
    }

    private static void LinkTree(string source, string target)
    {
        Libc.Mkdir(target, 0b111_000_000);
        foreach (var path in Directory.EnumerateFileSystemEntries(source))
        {
            var into = Path.Combine(target, Path.GetFileName(path));
            if (Libc.Lstat(path).FileType == Libc.S_IFDIR) LinkTree(path, into);
            else Libc.Link(path, into); // link(2) never follows a symlink: the link itself gets the new name.
        }
        FileMetadata.Apply(target, Libc.Lstat(source), attributesFrom: source);
    }

    private void Replay(string sessionDirectory, string targetDirectory)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(sessionDirectory))
        {
            var target = Path.Combine(targetDirectory, Path.GetFileName(source));
            var stat = Libc.Lstat(source);
            var present = Libc.TryLstat(target, out var existing);
            if (stat.FileType == Libc.S_IFDIR)
            {
                if (present && (existing.FileType != Libc.S_IFDIR || OverlayRecords.IsOpaque(source)))
                {
                    Remove(target, existing);
                    present = false;
                }
                if (!present) Libc.Mkdir(target, 0b111_000_000);
                Replay(source, target);
                FileMetadata.Apply(target, stat, attributesFrom: source);
                continue;
            }
            if (present) Remove(target, existing);
            if (stat.stx_nlink > 1)
            {
                if (_linked.TryGetValue(stat.stx_ino, out var first)) { Libc.Link(first, target); continue; }
                _linked[stat.stx_ino] = target;
            }
            switch (stat.FileType)
            {
                case Libc.S_IFREG: FileMetadata.CopyData(source, target); break;
                case Libc.S_IFLNK: Libc.Symlink(Libc.Readlink(source), target); break;
                default: Libc.Mknod(target, stat.stx_mode & Libc.S_IFMT, stat.RawDevice); break; // whiteouts, devices, fifos, sockets
            }
            FileMetadata.Apply(target, stat, attributesFrom: source);
        }
    }

    /// <summary>Removes a name from the new layer only: its files are links, so the saved layer keeps them.</summary>
    private static void Remove(string path, statx stat)
    {
        if (stat.FileType == Libc.S_IFDIR) Directory.Delete(path, recursive: true);
        else Libc.Unlink(path);
    }
}
