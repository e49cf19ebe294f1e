using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit;

public class SizesTests
{
    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("64m", 64L << 20)]
    [InlineData("1G", 1L << 30)]
    public void ByteSize_TryParse_ReadsUnits(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("4MiB")]
    [InlineData("lots")]
    [InlineData("99999999999999999999G")]
    public void ByteSize_TryParse_RejectsNonsense(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void Headroom_Auto_IsTheLargerOf512KAndTenPercent()
    {
        Assert.Equal(512 * 1024, Headroom.Auto.For(1 << 20));
        Assert.Equal(10L << 20, Headroom.Auto.For(100L << 20));
    }

    [Theory]
    [InlineData("auto", 512 * 1024, 10)]
    [InlineData("15%", 0, 15)]
    [InlineData("4M", 4 << 20, 0)]
    public void Headroom_TryParse_AcceptsSizePercentAndAuto(string text, long bytes, int percent)
    {
        Assert.True(Headroom.TryParse(text, out var h));
        Assert.Equal(new Headroom(bytes, percent), h);
    }
}
