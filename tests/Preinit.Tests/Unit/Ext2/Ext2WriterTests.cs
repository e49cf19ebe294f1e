// The pure writer on trees built in memory: e2fsck -fn passes and debugfs reads back what was put in.
using System.Security.Cryptography;
using System.Text;
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2WriterTests
{
    [Fact]
    public void Write_TreeWithEveryFileType_PassesFsck()
    {
        using var dir = new TempDir();
        var image = dir.File("odd.img");
        E2fs.Write(TreeBuilder.Odd().Entries, image);
        E2fs.AssertClean(image);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(4096)]
    public void Write_EachBlockSize_PassesFsck(int blockSize)
    {
        using var dir = new TempDir();
        var image = dir.File("bs.img");
        var (layout, _) = E2fs.Write(TreeBuilder.Odd().Entries, image, blockSize: blockSize);
        Assert.Equal(blockSize, layout.BlockSize);
        E2fs.AssertClean(image);
    }

    [Fact]
    public void Write_OddInodes_DebugfsReadsThemBack()
    {
        using var dir = new TempDir();
        var image = dir.File("odd.img");
        E2fs.Write(TreeBuilder.Odd().Entries, image, label: "preinit-root");

        // Old 16-bit encoding below 256, the kernel's new one above: debugfs says which it found.
        var null_ = E2fs.Debugfs(image, "stat /dev/null");
        Assert.Contains("Type: character special", null_);
        Assert.Matches(@"(?m)^Device major/minor number: 01:03 ", null_);
        Assert.Matches(@"(?m)^Device major/minor number: 07:200 ", E2fs.Debugfs(image, "stat /dev/loop200"));
        Assert.Contains("(New-style) Device major/minor number: 259:70000", E2fs.Debugfs(image, "stat /dev/big-minor"));
        Assert.Contains("Type: FIFO", E2fs.Debugfs(image, "stat /dev/initctl"));
        Assert.Contains("Type: socket", E2fs.Debugfs(image, "stat /dev/log"));

        var busybox = E2fs.Debugfs(image, "stat /bin/busybox");
        Assert.Contains("Links: 3", busybox);
        Assert.Contains("Mode:  04755", busybox);
        Assert.Contains("Size: 300000", busybox);

        var owned = E2fs.Debugfs(image, "stat /owned");
        Assert.Matches(@"User:\s+1234567\s+Group:\s+7654321\s", owned);

        Assert.Contains("Fast link dest: \"busybox\"", E2fs.Debugfs(image, "stat /bin/sh"));
        var slow = E2fs.Debugfs(image, "stat /slow");
        Assert.Contains("Size: 207", slow);
        Assert.DoesNotContain("Fast link", slow);
        Assert.Contains(new string('x', 200) + "/target", E2fs.Debugfs(image, "cat /slow"));

        Assert.Contains("Mode:  01777", E2fs.Debugfs(image, "stat /tmp"));
        var shared = E2fs.Debugfs(image, "stat /shared");
        Assert.Contains("Mode:  02755", shared);
        Assert.Matches(@"User:\s+100000\s+Group:\s+70000\s", shared);
        Assert.Contains("Links: 2", shared);
        Assert.Contains("Links: 7", E2fs.Debugfs(image, "stat <2>")); // ., .., and bin tmp shared dev lost+found

        var lostAndFound = E2fs.Debugfs(image, "stat <11>");
        Assert.Contains("Mode:  0700", lostAndFound);
        Assert.Contains("Size: 12288", lostAndFound);

        var super = Tools.Run("dumpe2fs", "-h", image);
        Assert.Contains("Filesystem volume name:   preinit-root", super);
        Assert.Contains("Filesystem UUID:          6a1c5f9e-2d4a-4c8e-9f00-123456789abc", super);
        Assert.Matches(@"Filesystem features:\s+filetype sparse_super large_file", super);
        Assert.Contains("Inode size:\t          128", super);
    }

    [Fact]
    public void Write_FileContent_ComesBackByteForByte()
    {
        using var dir = new TempDir();
        var image = dir.File("content.img");
        var random = new Random(7);
        var t = new TreeBuilder();
        var contents = new Dictionary<string, byte[]>();
        foreach (var size in new[] { 1, 1023, 1024, 1025, 12 * 1024, 12 * 1024 + 1, 268 * 1024, 268 * 1024 + 5, 2_000_000 })
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            contents[$"f{size}"] = bytes;
            t.File($"f{size}", bytes);
        }
        E2fs.Write(t.Entries, image);
        E2fs.AssertClean(image);
        foreach (var (name, bytes) in contents)
        {
            var dumped = dir.File(name + ".out");
            E2fs.Debugfs(image, $"dump /{name} {dumped}");
            Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(File.ReadAllBytes(dumped)));
        }
    }

    [Fact]
    public void Write_SameTreeUuidAndTime_GivesTheSameBytes()
    {
        using var dir = new TempDir();
        E2fs.Write(TreeBuilder.Odd().Entries, dir.File("a.img"));
        E2fs.Write(TreeBuilder.Odd().Entries, dir.File("b.img"));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(dir.File("a.img"))), SHA256.HashData(File.ReadAllBytes(dir.File("b.img"))));
    }

    [Fact]
    public void Write_ImageIsExactlyTheLayoutSize_WithTheHeadroomFree()
    {
        using var dir = new TempDir();
        var image = dir.File("size.img");
        var headroom = new Headroom(3 << 20, 0);
        var (layout, result) = E2fs.Write(TreeBuilder.Odd().Entries, image, headroom);
        Assert.Equal(layout.ImageBytes, new FileInfo(image).Length);
        Assert.True(result.FreeBytes >= 3 << 20, $"{result.FreeBytes} free");
        Assert.Equal(layout.FreeBytes, result.FreeBytes);   // no holes in this tree: exactly what the layout planned
        var super = Tools.Run("dumpe2fs", "-h", image);
        Assert.Contains($"Free blocks:              {result.FreeBlocks}", super);
    }
}
