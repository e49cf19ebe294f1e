// Every property the root copy must keep, for every entry of a tree, as comparable text:
// type, mode (with setuid/setgid/sticky), owner, mtime (seconds: ext2 keeps no more), size,
// content hash, symlink target, device number, and which names share an inode.
using System.Security.Cryptography;
using Preinit.Interop;

namespace Preinit.Tests.Support;

public static class TreeSnapshot
{
    public static SortedDictionary<string, string> Of(string root, params string[] ignore)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var inodes = new Dictionary<ulong, List<string>>();
        Walk(root, "", result, inodes, ignore.ToHashSet());
        foreach (var (_, names) in inodes.Where(i => i.Value.Count > 1))
            foreach (var name in names)
                result[name] += $" links=[{string.Join(",", names.Order(StringComparer.Ordinal))}]";
        return result;
    }

    private static void Walk(string root, string relative, SortedDictionary<string, string> result,
        Dictionary<ulong, List<string>> inodes, HashSet<string> ignore)
    {
        var path = relative.Length == 0 ? root : Path.Combine(root, relative);
        var st = Libc.Lstat(path);
        var text = $"type={st.FileType:x} mode={Convert.ToString(st.stx_mode & 0xFFF, 8)} uid={st.stx_uid} gid={st.stx_gid}";
        if (st.FileType != Libc.S_IFLNK) text += $" mtime={st.stx_mtime.tv_sec}";
        switch (st.FileType)
        {
            case Libc.S_IFREG:
                text += $" size={st.stx_size} sha256={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16]}";
                break;
            case Libc.S_IFLNK:
                text += $" target={Libc.Readlink(path)}";
                break;
            case Libc.S_IFCHR or Libc.S_IFBLK:
                text += $" rdev={st.stx_rdev_major}:{st.stx_rdev_minor}";
                break;
        }
        result[relative.Length == 0 ? "." : relative] = text;
        if (st.FileType != Libc.S_IFDIR && st.stx_nlink > 1)
        {
            if (!inodes.TryGetValue(st.stx_ino, out var names)) inodes[st.stx_ino] = names = [];
            names.Add(relative);
        }
        if (st.FileType != Libc.S_IFDIR) return;
        foreach (var child in Directory.EnumerateFileSystemEntries(path))
        {
            var name = Path.GetFileName(child);
            var childRelative = relative.Length == 0 ? name : relative + "/" + name;
            if (!ignore.Contains(childRelative)) Walk(root, childRelative, result, inodes, ignore);
        }
    }
}
