// Sizing before writing: the image is exactly tree + metadata + headroom, a given size either fits
// or says what is needed, and the block size follows the tree.
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2LayoutTests
{
    private static Ext2TreeSummary Files(int count, int size)
    {
        var t = new TreeBuilder().Dir("d");
        for (var i = 0; i < count; i++) t.File($"d/f{i}", new byte[size]);
        return Ext2Tree.From(t.Entries).Summary;
    }

    [Theory]
    [InlineData(100, 10_000)]
    [InlineData(3000, 100)]
    [InlineData(20, 1_000_000)]
    public void For_LeavesExactlyTheHeadroomFree(int count, int size)
    {
        var summary = Files(count, size);
        var layout = Ext2Layout.For(summary, new Headroom(2 << 20, 0));
        Assert.Equal(1024, layout.BlockSize);
        Assert.Equal(2048, layout.FreeBlocks);
        Assert.Equal(layout.Blocks * layout.BlockSize, layout.ImageBytes);
        Assert.True(layout.Inodes >= summary.UsedInodes + 64);
    }

    [Fact]
    public void For_ManySmallFiles_AddsGroupsForTheInodes()
    {
        var summary = Files(20_000, 0);   // 20,011 inodes but almost no data: more groups than the blocks ask for
        var layout = Ext2Layout.For(summary, new Headroom(0, 0));
        Assert.True(layout.Inodes >= 20_011 + 64);
        Assert.True(layout.InodesPerGroup <= 8 * layout.BlockSize);
        Assert.True(layout.Groups >= 3);
        Assert.True(layout.FreeBlocks >= 0);
    }

    [Fact]
    public void For_TreeOver256MiB_UsesFourKiBBlocks()
    {
        var t = new TreeBuilder().Sparse("big", 300L << 20);
        Assert.Equal(4096, Ext2Layout.For(Ext2Tree.From(t.Entries).Summary, Headroom.Auto).BlockSize);
    }

    [Fact]
    public void For_SymlinkLongerThanOneKiB_ChoosesABlockItFits_OrNamesItWhenTheBlockIsGiven()
    {
        var summary = Ext2Tree.From(new TreeBuilder().Dir("l").Symlink("l/long", new string('t', 1500)).Entries).Summary;
        Assert.Equal(2048, Ext2Layout.For(summary, Headroom.Auto).BlockSize);
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Layout.For(summary, Headroom.Auto, 1024));
        Assert.Contains("l/long", e.Message);
        Assert.Contains("1500 bytes", e.Message);
    }

    [Fact]
    public void ForSize_TooSmall_SaysHowMuchIsNeeded_AndThatSizeFits()
    {
        var summary = Files(100, 10_000);
        var e = Assert.Throws<Ext2SizeException>(() => Ext2Layout.ForSize(summary, 512 * 1024));
        Assert.Contains("too small", e.Message);
        Assert.Contains($"needs at least {e.NeededBytes} bytes", e.Message);
        var fits = Ext2Layout.ForSize(summary, e.NeededBytes);
        Assert.Equal(e.NeededBytes, fits.ImageBytes);
        Assert.True(fits.FreeBlocks >= 0);
        Assert.Throws<Ext2SizeException>(() => Ext2Layout.ForSize(summary, e.NeededBytes - 1024));
    }

    [Fact]
    public void ForSize_Roomy_GivesTheSpareToBlocksAndInodes()
    {
        var summary = Files(100, 10_000);
        var layout = Ext2Layout.ForSize(summary, 64L << 20);
        Assert.Equal(64L << 20, layout.ImageBytes);
        Assert.True(layout.FreeBytes > 60L << 20);
        Assert.True(layout.Inodes > 10_000);
    }

    [Theory]
    [InlineData(1024, new long[] { 0, 12, 13, 268, 269, 300, 65_804, 65_805, 100_000, 20_000_000 },
        new long[] { 0, 0, 1, 1, 3, 3, 258, 261, 394, 78_432 })]
    [InlineData(4096, new long[] { 0, 12, 13, 268, 269, 300, 65_804, 65_805, 100_000, 20_000_000 },
        new long[] { 0, 0, 1, 1, 1, 1, 66, 66, 99, 19_553 })]
    public void IndirectBlocks_CountSingleDoubleAndTripleIndirectBlocks(int bs, long[] blocks, long[] indirect)
    {
        for (var i = 0; i < blocks.Length; i++)
            Assert.Equal(indirect[i], Ext2BlockMapFacts.IndirectBlocksFor(blocks[i], bs));
    }

    [Theory]
    [InlineData(0, 1024, 0)]
    [InlineData(12 * 1024, 1024, 12)]
    [InlineData(12 * 1024 + 1, 1024, 14)]                 // 13 data + 1 single indirect
    [InlineData((12 + 256) * 1024, 1024, 268 + 1)]
    [InlineData((12 + 256 + 1) * 1024, 1024, 269 + 1 + 2)]  // + double indirect + one second-level block
    [InlineData(4096, 4096, 1)]
    public void FileBlocks_CountsDataAndIndirectBlocks(long size, int blockSize, long expected) =>
        Assert.Equal(expected, Ext2TreeSummary.FileBlocks(size, blockSize));

    [Fact]
    public void For_SmallTree_UsesOneKiBBlocksAndLeavesTheAutoHeadroom()
    {
        var layout = Ext2Layout.For(Files(100, 10_000), Headroom.Auto);
        Assert.Equal(1024, layout.BlockSize);
        Assert.Equal(Headroom.AutoMinimum, layout.HeadroomBytes);
        Assert.True(layout.FreeBytes >= layout.HeadroomBytes);
    }

    [Fact]
    public void SuperblockCopies_AreInGroupsZeroOneAndPowersOfThreeFiveSeven()
    {
        var groups = Enumerable.Range(0, 130).Where(g => Ext2Disk.HasSuperblockCopy(g)).ToArray();
        Assert.Equal(new[] { 0, 1, 3, 5, 7, 9, 25, 27, 49, 81, 125 }, groups);
    }

    [Theory]
    [InlineData(1u, 3u, 0x0103u, 0u)]
    [InlineData(7u, 200u, 0x07C8u, 0u)]
    [InlineData(259u, 70000u, 0u, 0x1111_0370u)]
    [InlineData(300u, 1u, 0u, 0x12C01u)]
    public void Devices_UseTheKernelsOldEncodingBelow256AndTheNewOneAbove(uint major, uint minor, uint block0, uint block1)
    {
        Span<uint> blocks = stackalloc uint[15];
        Ext2Disk.EncodeDevice(major, minor, blocks);
        Assert.Equal(block0, blocks[0]);
        Assert.Equal(block1, blocks[1]);
        Assert.Equal((major, minor), Ext2Disk.DecodeDevice(blocks));
    }
}

/// <summary>The block map's counting, reachable from the tests (the map itself is internal).</summary>
internal static class Ext2BlockMapFacts
{
    public static long IndirectBlocksFor(long blocks, int bs) => Ext2TreeSummary.FileBlocks(blocks * bs, bs) - blocks;
}
