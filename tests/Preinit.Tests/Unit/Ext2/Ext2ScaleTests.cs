// The writer at scale, still in memory and without root: tens of thousands of files, a directory
// of 10,000 names, 200 levels of nesting, 255-byte names, and sparse files of several GiB that
// stay sparse in the image. e2fsck -fn is the referee.
using System.Security.Cryptography;
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2ScaleTests
{
    [Fact]
    public void Write_TwentyThousandSmallFiles_PassesFsck()
    {
        using var dir = new TempDir();
        var random = new Random(1);
        var t = new TreeBuilder();
        for (var d = 0; d < 40; d++)
        {
            t.Dir($"d{d:00}");
            for (var f = 0; f < 500; f++)
            {
                var bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
                t.File($"d{d:00}/file-{f:000}", bytes);
            }
        }
        var image = dir.File("many.img");
        var (layout, result) = E2fs.Write(t.Entries, image);
        Assert.Equal(20_000, result.Files);
        Assert.True(layout.Groups > 1);
        E2fs.AssertClean(image);
        Assert.Contains("Links: 43", E2fs.Debugfs(image, "stat /"));   // 2, plus 40 directories and lost+found
    }

    [Fact]
    public void Write_DirectoryWithTenThousandEntries_PassesFsckAndListsThemAll()
    {
        using var dir = new TempDir();
        var t = new TreeBuilder().Dir("big");
        for (var i = 0; i < 10_000; i++)
            if (i % 10 == 0) t.Dir($"big/sub-{i:00000}"); else t.File($"big/entry-{i:00000}", []);
        var image = dir.File("bigdir.img");
        E2fs.Write(t.Entries, image);
        E2fs.AssertClean(image);
        var stat = E2fs.Debugfs(image, "stat /big");
        Assert.Contains("Links: 1002", stat);
        Assert.Contains("(IND)", stat);    // more than 12 blocks: the single indirect block is in use
        var listing = E2fs.Debugfs(image, "ls /big");
        Assert.Contains("entry-09999", listing);
        Assert.Contains("sub-09990", listing);
    }

    [Fact]
    public void Write_TwoHundredLevelsAndNamesOf255Bytes_PassFsck()
    {
        using var dir = new TempDir();
        var t = new TreeBuilder();
        var path = "";
        for (var level = 0; level < 200; level++)
        {
            path = path.Length == 0 ? $"l{level:000}" : $"{path}/l{level:000}";
            t.Dir(path);
        }
        t.File(path + "/leaf", "deep"u8.ToArray()).Dir("names");
        for (var i = 0; i < 60; i++)
            t.File($"names/{i:00}{new string((char)('a' + i % 26), 253)}", [(byte)i]);
        t.File("names/" + new string('€', 85), "utf-8: 85 x 3 bytes"u8.ToArray());
        var image = dir.File("deep.img");
        E2fs.Write(t.Entries, image);
        E2fs.AssertClean(image);
        Assert.Contains("Size: 4", E2fs.Debugfs(image, $"stat /{path}/leaf"));
        Assert.Contains("Size: 19", E2fs.Debugfs(image, $"stat \"/names/{new string('€', 85)}\""));
    }

    [Fact]
    public void Write_SparseFilesOfSeveralGiB_KeepTheirHolesAndTheImageStaysSparse()
    {
        using var dir = new TempDir();
        const long gib = 1L << 30;
        var beyondDouble = (12L + 1024 + 1024 * 1024) * 4096 + 123 * 4096L;   // in the triple indirect range at 4 KiB
        var t = new TreeBuilder()
            .Sparse("holes-only", 2 * gib)
            .Sparse("five-gib", 5 * gib, 0, 3 * gib, beyondDouble, 5 * gib - 4096);
        var image = dir.File("sparse.img");
        var (layout, result) = E2fs.Write(t.Entries, image);
        Assert.Equal(4096, layout.BlockSize);
        E2fs.AssertClean(image);
        Assert.True(E2fs.AllocatedBytes(image) < 4L << 20, $"image occupies {E2fs.AllocatedBytes(image)} bytes");
        Assert.True(result.HoleBlocks > 7 * gib / 4096 - 10);

        var five = E2fs.Debugfs(image, "stat /five-gib");
        Assert.Contains("Size: 5368709120", five);
        Assert.Contains("(TIND)", five);
        // 4 data blocks, the single indirect, the double with one child, the triple with two levels below it.
        Assert.Contains($"Blockcount: {(4 + 1 + 2 + 3) * 8}", five);
        var holes = E2fs.Debugfs(image, "stat /holes-only");
        Assert.Contains("Blockcount: 0", holes);
    }

    [Fact]
    public void Write_TripleIndirectAtOneKiB_ContentComesBack()
    {
        using var dir = new TempDir();
        var size = 80L << 20;                                   // beyond the 64.3 MiB the double indirect reaches at 1 KiB
        long[] data = [0, 12 * 1024, 300 * 1024, 70L << 20, size - 4096];
        var image = dir.File("tind.img");
        E2fs.Write(new TreeBuilder().Sparse("f", size, data).Entries, image, blockSize: 1024);
        E2fs.AssertClean(image);
        var dumped = dir.File("f.out");
        E2fs.Debugfs(image, $"dump /f {dumped}");
        using var expected = new PatternStream(size, data);
        using var actual = File.OpenRead(dumped);
        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(actual));
    }

    [Fact]
    public void Write_TreeWithItsOwnLostAndFound_UsesItAsInodeEleven()
    {
        using var dir = new TempDir();
        var t = new TreeBuilder().Dir("lost+found", mode: 0b111_000_000).File("lost+found/#1234", "orphan"u8.ToArray());
        var image = dir.File("lpf.img");
        E2fs.Write(t.Entries, image, new Headroom(0, 0));
        E2fs.AssertClean(image);
        Assert.Contains("#1234", E2fs.Debugfs(image, "ls <11>"));
        Assert.Contains("Size: 12288", E2fs.Debugfs(image, "stat <11>"));
    }
}
