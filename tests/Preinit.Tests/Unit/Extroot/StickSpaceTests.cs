using Preinit.Core.Extroot;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class StickSpaceTests
{
    [Theory]
    [InlineData(2L << 20, 1000L, 8192L, false)]
    [InlineData((1L << 20) - 1, 1000L, 8192L, true)] // under 1 MiB of blocks
    [InlineData(2L << 30, 63L, 8192L, true)] // blocks left, but no inodes for overlayfs's work directory
    [InlineData(2L << 30, 0L, 0L, false)] // vfat and btrfs have no inode table: inodes never make it full
    public void Full_WhenBlocksOrInodesRunLow(long freeBytes, long freeInodes, long totalInodes, bool full) =>
        Assert.Equal(full, new StickSpace(freeBytes, freeInodes, totalInodes).Full);

    [Fact]
    public void ToString_SaysWhatIsLeft_AndMakeRoomNamesTheUpperLayer()
    {
        Assert.Equal("512.0 KiB and 12 inodes free", new StickSpace(512 << 10, 12, 8192).ToString());
        Assert.Equal("3.0 GiB free", new StickSpace(3L << 30, 0, 0).ToString());
        Assert.Contains("under /storage/upper", StickSpace.MakeRoom("/storage"));
    }
}
