using Preinit.Core.Image;
using Xunit;

namespace Preinit.Tests.Unit;

public class Ext2SizingTests
{
    [Theory]
    [InlineData(0, 1024, 0)]
    [InlineData(12 * 1024, 1024, 12)]
    [InlineData(12 * 1024 + 1, 1024, 14)]                 // 13 data + 1 single indirect
    [InlineData((12 + 256) * 1024, 1024, 268 + 1)]
    [InlineData((12 + 256 + 1) * 1024, 1024, 269 + 1 + 2)]  // + double indirect + one second-level block
    [InlineData(4096, 4096, 1)]
    public void FileBlocks_CountsDataAndIndirectBlocks(long size, int blockSize, long expected) =>
        Assert.Equal(expected, TreeUsage.FileBlocks(size, blockSize));

    [Fact]
    public void SparseGroups_CountsGroupZeroOneAndPowersOfThreeFiveSevenThatExist() =>
        Assert.Equal(new long[] { 1, 2, 2, 3, 3, 4, 4, 5, 5, 6 }, Enumerable.Range(1, 10).Select(g => Ext2Geometry.SparseGroups(g)).ToArray());

    [Fact]
    public void For_SmallTree_UsesOneKiBBlocksAndLeavesTheHeadroom()
    {
        var usage = new TreeUsage();
        usage.AddDirectory([3, 4, 5]);
        for (var i = 0; i < 100; i++) usage.AddRegularFile(10_000);
        var g = Ext2Geometry.For(usage, Headroom.Auto);
        Assert.Equal(1024, g.BlockSize);
        Assert.Equal(512 * 1024, g.HeadroomBytes);
        Assert.True(g.ImageBytes >= (usage.Blocks1K * 1024) + g.HeadroomBytes);
        Assert.True(g.Inodes >= usage.Inodes + 11);
        Assert.True(g.ImageBytes / g.BytesPerInode >= g.Inodes - 8);
    }

    [Fact]
    public void For_LargeTree_UsesFourKiBBlocks()
    {
        var usage = new TreeUsage();
        usage.AddRegularFile(300L << 20);
        Assert.Equal(4096, Ext2Geometry.For(usage, Headroom.Auto).BlockSize);
    }
}
