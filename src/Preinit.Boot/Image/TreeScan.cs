// One walk of a directory tree that stays on one filesystem (find -xdev): every entry with its
// lstat, in pre-order, and the ext2 space it needs. The copy then works from this list.
using System.Text;
using Preinit.Core.Image;
using Preinit.Interop;

namespace Preinit.Boot.Image;

/// <summary>An entry of the tree: its path relative to the root ("" for the root) and its lstat.</summary>
public sealed record TreeEntry(string RelativePath, statx Stat);

public sealed class TreeScan
{
    public required string Root { get; init; }
    public required IReadOnlyList<TreeEntry> Entries { get; init; }
    public required TreeUsage Usage { get; init; }

    /// <param name="exclude">Absolute paths left out with everything below them (the image, its mount point).</param>
    public static TreeScan Of(string root, IReadOnlyCollection<string> exclude)
    {
        root = Path.GetFullPath(root);
        var rootStat = Libc.Lstat(root);
        var entries = new List<TreeEntry>();
        var usage = new TreeUsage();
        var seenInodes = new HashSet<ulong>();
        var pending = new Stack<(string Path, string Relative, statx Stat)>();
        pending.Push((root, "", rootStat));

        while (pending.Count > 0)
        {
            var (path, relative, stat) = pending.Pop();
            entries.Add(new TreeEntry(relative, stat));
            switch (stat.FileType)
            {
                case Libc.S_IFDIR:
                    var children = new List<(string, string, statx)>();
                    var names = new List<int>();
                    foreach (var child in Directory.EnumerateFileSystemEntries(path))
                    {
                        if (exclude.Contains(child)) continue;
                        var childStat = Libc.Lstat(child);
                        if (childStat.Device != rootStat.Device) continue; // another filesystem (-xdev)
                        var name = Path.GetFileName(child);
                        names.Add(Encoding.UTF8.GetByteCount(name));
                        children.Add((child, relative.Length == 0 ? name : relative + "/" + name, childStat));
                    }
                    usage.AddDirectory(names);
                    children.Sort((a, b) => string.CompareOrdinal(b.Item2, a.Item2)); // stack: pop in name order
                    foreach (var c in children) pending.Push(c);
                    break;
                case Libc.S_IFREG when stat.stx_nlink > 1 && !seenInodes.Add(stat.stx_ino):
                    usage.AddHardLink();
                    break;
                case Libc.S_IFREG:
                    usage.AddRegularFile((long)stat.stx_size);
                    break;
                case Libc.S_IFLNK:
                    usage.AddSymlink((int)stat.stx_size);
                    break;
                default:
                    if (stat.stx_nlink > 1 && !seenInodes.Add(stat.stx_ino)) usage.AddHardLink();
                    else usage.AddSpecial();
                    break;
            }
        }
        return new TreeScan { Root = root, Entries = entries, Usage = usage };
    }
}
