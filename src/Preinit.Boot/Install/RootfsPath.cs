// Paths inside a rootfs that is not the running root, resolved as they would be after
// chroot(ROOTFS): a symlink's absolute target starts again at ROOTFS and ".." stops there. The
// installer writes through the rootfs's own links this way (merged /usr: lib -> usr/lib), and
// never outside it however they point (lib64 -> /usr/lib64 must not reach the host's /usr).
using Preinit.Interop;

namespace Preinit.Boot.Install;

public static class RootfsPath
{
    /// <summary>The kernel's limit of symlinks in one lookup (MAXSYMLINKS).</summary>
    private const int MaxLinks = 40;

    /// <summary>The rootfs as a full path, after checking that it is a directory and not the running root.</summary>
    public static string CheckRoot(string rootfs)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootfs));
        if (!Path.Exists(root))
            throw new InstallException($"{root}: no such directory; give the rootfs directory (an unpacked initramfs tree)");
        if (!Directory.Exists(root))
            throw new InstallException($"{root} is not a directory; give the rootfs directory (an unpacked initramfs tree), not an image");
        var (st, running) = (Libc.Stat(root), Libc.Stat("/"));
        if (st.stx_ino == running.stx_ino && st.Device == running.Device)
            throw new InstallException($"{rootfs} is the running system's root: give the directory of the rootfs to change");
        return root;
    }

    /// <summary>
    /// <paramref name="path"/> (relative to <paramref name="root"/>) with every existing symlink
    /// followed inside the root, the last one only when <paramref name="followLast"/>. Components
    /// that do not exist are kept as written. "" is the root itself.
    /// </summary>
    public static string Resolve(string root, string path, bool followLast)
    {
        var done = new List<string>();
        var pending = new Stack<string>(Enumerable.Reverse(Split(path)));
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (done.Count > 0) done.RemoveAt(done.Count - 1);
                continue;
            }
            var full = Path.Combine(root, string.Join('/', done), part);
            if ((pending.Count > 0 || followLast) && Libc.TryLstat(full, out var st) && st.FileType == Libc.S_IFLNK)
            {
                if (++links > MaxLinks)
                    throw new InstallException($"{full}: more than {MaxLinks} symbolic links in a row (a loop?); fix the rootfs's links");
                var target = Libc.Readlink(full);
                if (target.StartsWith('/')) done.Clear();
                foreach (var t in Enumerable.Reverse(Split(target))) pending.Push(t);
                continue;
            }
            done.Add(part);
        }
        return string.Join('/', done);
    }

    /// <summary>The full path of a path relative to the root ("" is the root).</summary>
    public static string Full(string root, string relative) => relative.Length == 0 ? root : Path.Combine(root, relative);

    public static string Parent(string relative) => relative.Contains('/') ? relative[..relative.LastIndexOf('/')] : "";

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
