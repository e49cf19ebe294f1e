using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit;

public class InitramfsLimitTests
{
    private const long MiB = 1L << 20;

    [Theory]
    // 384 MiB of RAM, a 141 MiB tree in a 190 MiB cap, 180 MiB available: up to 141 + 180 - 32.
    [InlineData(141 * MiB, 190 * MiB, 180 * MiB, 384 * MiB, 289 * MiB)]
    // 4 GiB: the reserve is a 32nd of RAM (128 MiB).
    [InlineData(100 * MiB, 2048 * MiB, 3800 * MiB, 4096 * MiB, 3772 * MiB)]
    // RAM has less available than the cap allows already: kept.
    [InlineData(141 * MiB, 190 * MiB, 60 * MiB, 384 * MiB, null)]
    public void Raised_UsedPlusAvailableLessTheReserve_OnlyWhenHigher(long used, long limit, long available, long total, long? expected) =>
        Assert.Equal(expected, InitramfsLimit.Raised(used, limit, available, total));

    [Fact]
    public void TryReadMeminfo_ProcText_TotalAndAvailableInBytes()
    {
        const string text = "MemTotal:         392692 kB\nMemFree:          200000 kB\nMemAvailable: " +
            "    180000 kB\nHugePages_Total:       0\n";
        Assert.True(InitramfsLimit.TryReadMeminfo(text, out var total, out var available));
        Assert.Equal((392692L * 1024, 180000L * 1024), (total, available));
    }

    [Fact]
    public void TryReadMeminfo_NoMemAvailable_False() =>
        Assert.False(InitramfsLimit.TryReadMeminfo("MemTotal:         392692 kB\nMemFree:          200000 kB\n", out _, out _));
}
