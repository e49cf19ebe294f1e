// How long boot waits for the stick: preinit.wait, or fstab's delay_root when that is longer.
using Preinit.Boot.Extroot;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class ExtrootWaitTests
{
    [Theory]
    [InlineData(15, 0u, 15)]
    [InlineData(15, 10u, 15)]
    [InlineData(15, 40u, 40)]
    [InlineData(2, 4000000000u, 3600)]
    public void WaitBound_IsTheLongerOfWaitAndDelayRoot(double wait, uint delayRoot, double expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), DetermineExternalRootStep.WaitBound(TimeSpan.FromSeconds(wait), delayRoot));
}
