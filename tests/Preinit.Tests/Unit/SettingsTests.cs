using Microsoft.Extensions.Configuration;
using Preinit.Core.Configuration;
using Preinit.Core.Image;
using Xunit;

namespace Preinit.Tests.Unit;

public class SettingsTests
{
    private static (PreinitSettings Settings, IConfigurationRoot Root, KernelCommandLineSource Kernel) Load(string? cmdline, string? conf)
    {
        var kernel = new KernelCommandLineSource(cmdline);
        var root = new ConfigurationBuilder().Add(new DefaultsSource()).Add(new ShellConfSource("/lib/preinit/00_preinit.conf", conf)).Add(kernel).Build();
        return (PreinitSettings.From(root), root, kernel);
    }

    [Fact]
    public void From_NothingGiven_UsesDefaults()
    {
        var (s, _, _) = Load(null, null);
        Assert.False(s.Debug);
        Assert.False(s.Shell);
        Assert.True(s.LoopRoot);
        Assert.Equal(Headroom.Auto, s.Headroom);
        Assert.Equal("/sbin/init", s.InitCmd);
        Assert.Empty(s.Problems);
    }

    [Fact]
    public void From_KernelCommandLine_WinsOverConfFileWhichWinsOverDefaults()
    {
        var (s, root, _) = Load("preinit.headroom=8M init=/bin/sh", "headroom=2M\npi_init_path=/bin\n");
        Assert.Equal(new Headroom(8 << 20, 0), s.Headroom);
        Assert.Equal("/bin/sh", s.InitCmd);
        Assert.Equal("/bin", s.InitPath);
        Assert.Equal("kernel command line", ConfigurationOrigins.Describe(root, "headroom"));
        Assert.Equal("/lib/preinit/00_preinit.conf:2", ConfigurationOrigins.Describe(root, "pi_init_path"));
        Assert.Equal("built-in default", ConfigurationOrigins.Describe(root, "shell"));
    }

    [Theory]
    [InlineData("preinit.debug", true)]
    [InlineData("preinit.debug=1", true)]
    [InlineData("preinit.debug=0", false)]
    [InlineData("preinit.debug=yes", true)]
    public void From_BareOrValuedFlag_ParsesLikeAUserWouldExpect(string cmdline, bool expected) =>
        Assert.Equal(expected, Load(cmdline, null).Settings.Debug);

    [Theory]
    [InlineData("preinit.image=copy", ImageMethod.Copy)]
    [InlineData("preinit.image=WRITE", ImageMethod.Write)]
    [InlineData("", ImageMethod.Write)]
    public void From_Image_ChoosesHowTheRootImageIsMade(string cmdline, ImageMethod expected) =>
        Assert.Equal(expected, Load(cmdline, null).Settings.ImageMethod);

    [Theory]
    [InlineData("preinit.image=7")]
    [InlineData("preinit.image=tar")]
    public void From_BadImageMethod_KeepsWriteAndSaysSo(string cmdline)
    {
        var s = Load(cmdline, null).Settings;
        Assert.Equal(ImageMethod.Write, s.ImageMethod);
        Assert.Contains(s.Problems, p => p.Contains("write or copy"));
    }

    [Fact]
    public void From_Wait_ReadsSecondsAndRejectsNonsense()
    {
        Assert.Equal(TimeSpan.FromSeconds(2.5), Load("preinit.wait=2.5", null).Settings.WaitTimeout);
        var bad = Load("preinit.wait=forever", null).Settings;
        Assert.Equal(TimeSpan.FromSeconds(15), bad.WaitTimeout);
        Assert.Contains(bad.Problems, p => p.Contains("wait='forever'"));
    }

    [Fact]
    public void From_LoopZero_TurnsOffTheLoopRoot() => Assert.False(Load("preinit.loop=0", null).Settings.LoopRoot);

    [Fact]
    public void From_BadValues_KeepDefaultsAndSayWhy()
    {
        var (s, _, kernel) = Load("preinit.headroom=lots preinit.loop=maybe preinit.typo=1", null);
        Assert.Equal(Headroom.Auto, s.Headroom);
        Assert.True(s.LoopRoot);
        Assert.Contains(s.Problems, p => p.Contains("headroom='lots'") && p.Contains("4M"));
        Assert.Contains(s.Problems, p => p.Contains("loop='maybe'"));
        Assert.Equal(["preinit.typo"], kernel.UnknownKeys);
    }
}
