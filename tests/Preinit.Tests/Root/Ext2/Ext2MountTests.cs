// The kernel's verdict on written images: attach to a loop device, mount ext2 read-only, and the
// mounted tree equals the source in every property TreeSnapshot compares; debugfs agrees on the odd
// inodes; e2fsck -fn passes. Trees are made with real syscalls in the test's own tmpfs.
using Preinit.Boot.Ext2;
using Preinit.Boot.Image;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Root.Ext2;

public class Ext2MountTests
{
    private static readonly Guid Uuid = Guid.Parse("3f0e6c1a-5b7d-4e2f-8a9c-0d1e2f3a4b5c");

    private static Ext2ImageResult Write(string source, string image) =>
        Ext2ImageBuilder.Write(source, image, new Ext2ImageOptions { Uuid = Uuid, Time = 1_300_000_000 });

    private static void Mounted(Scratch scratch, string image, Action<string> check)
    {
        var mounted = scratch.Sub("mnt");
        var loop = LoopDevice.Attach(image, readOnly: true);
        try
        {
            Libc.Mount(loop.Path, mounted, "ext2", Libc.MS_RDONLY, null);
            try { check(mounted); }
            finally { Libc.Umount2(mounted, 0); }
        }
        finally { loop.Detach(); }
    }

    [RootFact]
    public void Mkimage_TreeWithEveryFileType_MountsEqualToTheSource()
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        OddTree.Create(source);
        File.WriteAllText(Path.Combine(source, "high-ids"), "uid and gid above 65535");
        Libc.Lchown(Path.Combine(source, "high-ids"), 100_000, 4_000_000);
        Libc.Mknod(Path.Combine(source, "dev/major-300"), Libc.S_IFBLK | 0b110_000_000, Libc.MakeDev(300, 5));
        var image = Path.Combine(scratch.Path, "odd.img");

        Write(source, image);

        E2fs.AssertClean(image);
        Mounted(scratch, image, mounted => Assert.Equal(TreeSnapshot.Of(source), TreeSnapshot.Of(mounted, "lost+found")));
    }

    [RootFact]
    public void Mkimage_OddInodes_DebugfsAgreesWithTheSource()
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        OddTree.Create(source);
        Libc.Lchown(Path.Combine(source, "owned"), 70_000, 80_000);
        var image = Path.Combine(scratch.Path, "odd.img");
        Write(source, image);

        string Stat(string path) => E2fs.Debugfs(image, $"stat \"/{path}\"");
        Assert.Contains("(New-style) Device major/minor number: 259:70000", Stat("dev/big-minor"));
        Assert.Matches(@"(?m)^Device major/minor number: 07:200 ", Stat("dev/loop200"));
        Assert.Contains("Type: block special", Stat("dev/loop200"));
        Assert.Matches(@"User:\s+70000\s+Group:\s+80000\s", Stat("owned"));
        var busybox = Stat("bin/busybox");
        Assert.Contains($"Links: {Libc.Lstat(Path.Combine(source, "bin/busybox")).stx_nlink}", busybox);
        Assert.Contains("Mode:  04755", busybox);
        Assert.Contains("Blockcount: 0", busybox);   // 3 MiB of zeros: all holes
        Assert.Contains(Libc.Readlink(Path.Combine(source, "slow-symlink")), E2fs.Debugfs(image, "cat /slow-symlink"));
        Assert.Contains("Fast link dest: \"/does/not/exist\"", Stat("dangling"));
        var deep = string.Join('/', Enumerable.Range(0, 40).Select(i => $"d{i}").Prepend("deep"));
        Assert.Contains("Size: 4", Stat(deep + "/leaf"));
    }

    [RootFact]
    public void Mkimage_LargeTree_MountsEqualToTheSource()
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        var random = new Random(11);
        for (var d = 0; d < 20; d++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(source, $"pkg{d:00}")).FullName;
            for (var f = 0; f < 1000; f++)
            {
                var bytes = new byte[random.Next(0, 2500)];
                random.NextBytes(bytes);
                File.WriteAllBytes(Path.Combine(dir, $"file{f:0000}"), bytes);
            }
        }
        var wide = Directory.CreateDirectory(Path.Combine(source, "wide")).FullName;
        for (var i = 0; i < 10_000; i++) File.WriteAllBytes(Path.Combine(wide, $"{i:00000}-{new string('w', i % 200)}"), []);
        var deep = source;
        for (var level = 0; level < 200; level++) deep = Directory.CreateDirectory(Path.Combine(deep, $"{level:000}")).FullName;
        File.WriteAllText(Path.Combine(deep, new string('z', 255)), "bottom");
        var image = Path.Combine(scratch.Path, "large.img");

        var result = Write(source, image);

        Assert.Equal(30_001, result.Files);
        E2fs.AssertClean(image);
        Mounted(scratch, image, mounted => Assert.Equal(TreeSnapshot.Of(source), TreeSnapshot.Of(mounted, "lost+found")));
    }

    [RootFact]
    public void Mkimage_SparseFilesOfSeveralGiB_StaySparseInTheImageAndInTheFilesystem()
    {
        using var scratch = new Scratch();
        var source = scratch.Sub("source");
        const long gib = 1L << 30;
        var offsets = new Dictionary<string, long[]>
        {
            ["disk-3g"] = [0, gib, 3 * gib - 6],
            ["disk-4.5g"] = [5, 2 * gib + 4096, (long)(4.3 * gib), (long)(4.5 * gib) - 6],   // the triple indirect range at 4 KiB
        };
        foreach (var (name, at) in offsets)
        {
            using var file = File.Create(Path.Combine(source, name));
            file.SetLength(name == "disk-3g" ? 3 * gib : (long)(4.5 * gib));
            foreach (var o in at) { file.Position = o; file.Write("marker"u8); }
        }
        var image = Path.Combine(scratch.Path, "sparse.img");

        var result = Write(source, image);

        Assert.Equal(4096, result.BlockSize);
        Assert.True(E2fs.AllocatedBytes(image) < 16L << 20, $"the image file occupies {E2fs.AllocatedBytes(image)} bytes");
        E2fs.AssertClean(image);
        Mounted(scratch, image, mounted =>
        {
            foreach (var (name, at) in offsets)
            {
                var path = Path.Combine(mounted, name);
                var st = Libc.Lstat(path);
                Assert.Equal(Libc.Lstat(Path.Combine(source, name)).stx_size, st.stx_size);
                Assert.True(st.stx_blocks * 512 <= 64 * 1024, $"{name} occupies {st.stx_blocks * 512} bytes in the image's filesystem");
                using var file = File.OpenRead(path);
                var buffer = new byte[6];
                foreach (var o in at)
                {
                    file.Position = o;
                    file.ReadExactly(buffer);
                    Assert.Equal("marker"u8.ToArray(), buffer);
                }
                file.Position = gib / 2;
                file.ReadExactly(buffer);
                Assert.All(buffer, b => Assert.Equal(0, b));
            }
        });
    }
}
