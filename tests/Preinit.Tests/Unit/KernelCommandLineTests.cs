using Preinit.Core.Configuration;
using Xunit;

namespace Preinit.Tests.Unit;

public class KernelCommandLineTests
{
    [Theory]
    [InlineData("quiet", "quiet", null)]
    [InlineData("console=ttyS0,115200", "console", "ttyS0,115200")]
    [InlineData("preinit.headroom=4M", "preinit.headroom", "4M")]
    [InlineData("a=b=c", "a", "b=c")]
    [InlineData("opt=\"with space\"", "opt", "with space")]
    [InlineData("\"opt=whole quoted\"", "opt", "whole quoted")]
    [InlineData("empty=", "empty", "")]
    public void Parse_OneParameter_SplitsLikeTheKernel(string text, string key, string? value)
    {
        var p = Assert.Single(KernelCommandLine.Parse(text + "\n"));
        Assert.Equal(key, p.Key);
        Assert.Equal(value, p.Value);
    }

    [Fact]
    public void Parse_SeveralParameters_KeepsOrderAndStopsAtDoubleDash()
    {
        var ps = KernelCommandLine.Parse("  BOOT_IMAGE=/boot/vmlinuz  console=tty0\tinit=/bin/sh -- preinit.debug");
        Assert.Equal(["BOOT_IMAGE", "console", "init"], ps.Select(p => p.Key));
    }

    [Fact]
    public void Parse_Empty_GivesNothing() => Assert.Empty(KernelCommandLine.Parse("   \n"));
}
