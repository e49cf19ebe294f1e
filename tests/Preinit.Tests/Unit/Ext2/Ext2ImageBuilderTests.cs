// mkimage's work on a real directory, without root: the directory walked twice, the writer, the image file.
// Everything a user can make unprivileged is here (files, directories, symlinks, fifos, hard links,
// sparse files); device nodes and foreign owners are in the root tier.
using System.Security.Cryptography;
using Preinit.Boot.Ext2;
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2ImageBuilderTests
{
    private static readonly Guid Uuid = Guid.Parse("0b1c5f9e-2d4a-4c8e-9f00-123456789abc");

    private static void MakeTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc/init.d"));
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        var random = new Random(3);
        var blob = new byte[700_000];
        random.NextBytes(blob);
        File.WriteAllBytes(Path.Combine(root, "etc/init.d/blob"), blob);
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        File.WriteAllText(Path.Combine(root, new string('n', 255)), "long");
        Libc.Symlink("passwd", Path.Combine(root, "etc/link"));
        Libc.Symlink(new string('s', 300), Path.Combine(root, "etc/slow-link"));
        Libc.Mknod(Path.Combine(root, "fifo"), Libc.S_IFIFO | 0b110_100_000, 0);
        Libc.Link(Path.Combine(root, "etc/passwd"), Path.Combine(root, "passwd-again"));
        using (var sparse = File.Create(Path.Combine(root, "sparse")))
        {
            sparse.SetLength(100L << 20);   // a sparse file; below 256 MiB the image keeps 1 KiB blocks
            sparse.Position = 50L << 20;
            sparse.Write("middle"u8);
        }
        Libc.Chmod(Path.Combine(root, "etc/init.d"), 0b111_101_000);
    }

    [Fact]
    public void Write_RealDirectory_PassesFsckAndKeepsWhatDebugfsShows()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        MakeTree(source);
        var image = dir.File("root.img");

        var result = Ext2ImageBuilder.Write(source, image, new Ext2ImageOptions { Label = "root", Uuid = Uuid, Time = 1_300_000_000 });

        E2fs.AssertClean(image);
        Assert.Equal(result.ImageBytes, new FileInfo(image).Length);
        Assert.True(result.FreeBytes >= Headroom.AutoMinimum);
        Assert.Equal(5, result.Files);   // per inode: passwd (named twice), blob, empty, the long name, sparse
        Assert.True(E2fs.AllocatedBytes(image) < 8L << 20, "the sparse file's holes stay holes in the image file");

        var passwd = E2fs.Debugfs(image, "stat /etc/passwd");
        Assert.Contains("Links: 2", passwd);
        var mtime = new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(source, "etc/passwd"))).ToUnixTimeSeconds();
        Assert.Contains($"mtime: 0x{mtime:x8}", passwd);
        Assert.Contains("Mode:  0750", E2fs.Debugfs(image, "stat /etc/init.d"));
        Assert.Contains("Type: FIFO    Mode:  0640", E2fs.Debugfs(image, "stat /fifo"));
        Assert.Contains("Fast link dest: \"passwd\"", E2fs.Debugfs(image, "stat /etc/link"));
        var sparse = E2fs.Debugfs(image, "stat /sparse");
        Assert.Contains("Size: 104857600", sparse);
        Assert.Contains("Blockcount: 6", sparse);     // one data block and its two indirect blocks, at 1 KiB
        var blob = dir.File("blob.out");
        E2fs.Debugfs(image, $"dump /etc/init.d/blob {blob}");
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(source, "etc/init.d/blob"))), SHA256.HashData(File.ReadAllBytes(blob)));
    }

    [Fact]
    public void Write_TwiceWithTheSameUuidAndTime_GivesTheSameBytes()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        MakeTree(source);
        // Access times after the last change: reading the tree (relatime) then leaves them alone, so it is the same tree twice.
        var later = new timespec { tv_sec = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600 };
        foreach (var path in Directory.EnumerateFileSystemEntries(source, "*", SearchOption.AllDirectories).Append(source))
            Libc.Lutimes(path, later, Libc.Lstat(path).stx_mtime.ToTimespec());

        var options = new Ext2ImageOptions { Uuid = Uuid, Time = 1_300_000_000 };
        Ext2ImageBuilder.Write(source, dir.File("a.img"), options);
        Ext2ImageBuilder.Write(source, dir.File("b.img"), options);
        using var a = File.OpenRead(dir.File("a.img"));
        using var b = File.OpenRead(dir.File("b.img"));
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("/", true)]
    [InlineData("", false)]
    public void Write_ImageInsideTheSourceTree_LeavesItselfOut(string slash, bool oldImage)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("file"), "x");
        var image = dir.File("self.img");
        // An old image there is not copied into the new one; a new one, made between the count and the write, is no change.
        if (oldImage) File.WriteAllBytes(image, new byte[5 << 20]);
        Ext2ImageBuilder.Write(dir.Path + slash, image, new Ext2ImageOptions());
        E2fs.AssertClean(image);
        Assert.DoesNotContain("self.img", E2fs.Debugfs(image, "ls /"));
        Assert.True(new FileInfo(image).Length < 2 << 20);
    }

    [Fact]
    public void Write_SourceGivenAsASymlink_WritesTheTreeItNames()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("real")).FullName;
        File.WriteAllText(Path.Combine(source, "inside"), "x");
        Libc.Symlink(source, dir.File("link"));
        var image = dir.File("linked.img");
        Ext2ImageBuilder.Write(dir.File("link"), image, new Ext2ImageOptions());
        E2fs.AssertClean(image);
        Assert.Contains("inside", E2fs.Debugfs(image, "ls /"));
    }

    [Fact]
    public void Write_NamesStartingWithADot_AreInTheImage()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        Directory.CreateDirectory(Path.Combine(source, ".config"));
        File.WriteAllText(Path.Combine(source, ".config/.hidden"), "x");
        File.WriteAllText(Path.Combine(source, ".profile"), "y");
        var image = dir.File("dots.img");
        var result = Ext2ImageBuilder.Write(source, image, new Ext2ImageOptions());
        E2fs.AssertClean(image);
        Assert.Equal(2, result.Files);
        Assert.Contains(".profile", E2fs.Debugfs(image, "ls /"));
        Assert.Contains(".hidden", E2fs.Debugfs(image, "ls /.config"));
    }

    [Fact]
    public void Write_NameThatIsNotUtf8_IsRefusedAndShown()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        Directory.CreateDirectory(Path.Combine(source, "etc"));
        Tools.Run("sh", "-c", "touch \"$1/etc/caf$(printf '\\351')\"", "sh", source);   // "café" in Latin-1
        try
        {
            var image = dir.File("latin1.img");
            var e = Assert.Throws<Ext2TreeException>(() => Ext2ImageBuilder.Write(source, image, new Ext2ImageOptions()));
            Assert.Equal($"{source}/etc/caf\uFFFD: the name is not valid UTF-8 (\uFFFD marks the bytes that are not)", e.Message);
            Assert.False(File.Exists(image));
        }
        finally { Tools.Run("rm", "-rf", source); }   // .NET cannot name that file to delete it
    }

    /// <summary>The count and the write walk the directory separately: what changes in between is refused, not written wrong.</summary>
    [Theory]
    [InlineData("removed", "/: the tree changed while the image was written: 3 names now, 4 counted before")]
    [InlineData("grown", "etc: the tree changed while the image was written: ")]
    public void Write_DirectoryChangedAfterTheCount_IsRefused(string change, string expected)
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        Directory.CreateDirectory(Path.Combine(source, "etc"));
        File.WriteAllText(Path.Combine(source, "etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(source, "etc/group"), "root:x:0:\n");
        var tree = Ext2Tree.Scan(new Ext2DirectoryTree(source, []));
        if (change == "removed") File.Delete(Path.Combine(source, "etc/group"));
        else File.WriteAllBytes(Path.Combine(source, "etc/passwd"), new byte[1 << 20]);

        using var output = File.Create(dir.File("changed.img"));
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Writer.Write(tree, Ext2Layout.For(tree.Summary, Headroom.Auto),
            new Ext2WriteOptions(E2fs.FixedUuid, E2fs.FixedTime), output));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Write_GivenSize_IsTheFileSize_OrTheErrorSaysWhatIsNeeded()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        File.WriteAllBytes(Path.Combine(source, "two-mib"), Enumerable.Repeat((byte)1, 2 << 20).ToArray());
        var image = dir.File("sized.img");
        var result = Ext2ImageBuilder.Write(source, image, new Ext2ImageOptions { SizeBytes = 8L << 20 });
        Assert.Equal(8L << 20, new FileInfo(image).Length);
        Assert.Equal(8L << 20, result.ImageBytes);
        E2fs.AssertClean(image);

        var tooSmall = dir.File("too-small.img");
        var e = Assert.Throws<Ext2SizeException>(
            () => Ext2ImageBuilder.Write(source, tooSmall, new Ext2ImageOptions { SizeBytes = 1L << 20 }));
        Assert.InRange(e.NeededBytes, 2L << 20, 3L << 20);
        Assert.False(File.Exists(tooSmall));
    }
}
