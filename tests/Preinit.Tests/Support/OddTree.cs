// A tree with every file type, awkward names and every mode bit a root filesystem uses, made
// with the real syscalls (so it needs root).
using Preinit.Interop;

namespace Preinit.Tests.Support;

public static class OddTree
{
    private static readonly long Old = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero).ToUnixTimeSeconds();

    public static void Create(string root)
    {
        Dir(root, "bin", 0b111_101_101);
        File(root, "bin/busybox", 0b100_111_101_101, new byte[3 * 1024 * 1024 + 17]); // setuid, double indirect at 1 KiB
        Libc.Link(Path.Combine(root, "bin/busybox"), Path.Combine(root, "bin/hardlink one"));
        Libc.Link(Path.Combine(root, "bin/busybox"), Path.Combine(root, "hardlink-two"));
        Libc.Symlink("busybox", Path.Combine(root, "bin/sh"));
        Libc.Symlink("/does/not/exist", Path.Combine(root, "dangling"));
        Libc.Symlink(new string('x', 200) + "/long/target/that/needs/a/block", Path.Combine(root, "slow-symlink"));
        Dir(root, "shared", 0b010_111_101_101); // setgid dir
        Dir(root, "tmp", 0b001_111_111_111);   // sticky
        Dir(root, "dev", 0b111_101_101);
        Node(root, "dev/null", Libc.S_IFCHR | 0b110_110_110, Libc.MakeDev(1, 3));
        Node(root, "dev/loop200", Libc.S_IFBLK | 0b110_110_000, Libc.MakeDev(7, 200));
        Node(root, "dev/big-minor", Libc.S_IFCHR | 0b110_000_000, Libc.MakeDev(259, 70000));
        Node(root, "dev/initctl", Libc.S_IFIFO | 0b110_000_000, 0);
        Node(root, "dev/log", Libc.S_IFSOCK | 0b110_110_110, 0);
        Dir(root, "names", 0b111_101_101);
        foreach (var name in new[] { "with space", "new\nline", "ünïcödé ✓", "-dash", "quote'\"", "tab\tname", new string('n', 255) })
            File(root, "names/" + name, 0b110_100_100, System.Text.Encoding.UTF8.GetBytes(name));
        File(root, "names/empty", 0, []);
        File(root, "owned", 0b110_100_000, "owner"u8.ToArray(), uid: 1234, gid: 5678);
        Dir(root, "deep", 0b111_101_101);
        var deep = "deep";
        for (var i = 0; i < 40; i++) { deep += "/d" + i; Dir(root, deep, 0b111_101_101); }
        File(root, deep + "/leaf", 0b110_100_100, "leaf"u8.ToArray());
        Dir(root, "readonly", 0b111_101_101);
        File(root, "readonly/inside", 0b100_100_100, "ro"u8.ToArray());
        Libc.Chmod(Path.Combine(root, "readonly"), 0b101_101_101);
        foreach (var p in new[] { "readonly", "bin", "shared", "tmp", "dev", "names", "deep", "" })
            Libc.Lutimes(Path.Combine(root, p), new timespec { tv_sec = Old }, new timespec { tv_sec = Old });
    }

    private static void Dir(string root, string path, uint mode)
    {
        var full = Path.Combine(root, path);
        Libc.Mkdir(full, 0b111_000_000);
        Libc.Chmod(full, mode);
    }

    private static void File(string root, string path, uint mode, byte[] content, uint uid = 0, uint gid = 0)
    {
        var full = Path.Combine(root, path);
        System.IO.File.WriteAllBytes(full, content);
        Libc.Lchown(full, uid, gid);
        Libc.Chmod(full, mode);
        Libc.Lutimes(full, new timespec { tv_sec = Old }, new timespec { tv_sec = Old + 1 });
    }

    private static void Node(string root, string path, uint mode, ulong dev)
    {
        var full = Path.Combine(root, path);
        Libc.Mknod(full, mode, dev);
        Libc.Chmod(full, mode & 0xFFF);
        Libc.Lutimes(full, new timespec { tv_sec = Old }, new timespec { tv_sec = Old + 2 });
    }
}
