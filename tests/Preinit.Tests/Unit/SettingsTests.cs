using Microsoft.Extensions.Configuration;
using Preinit.Core.Configuration;
using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit;

public class SettingsTests
{
    private static (PreinitSettings Settings, IConfigurationRoot Root, KernelCommandLineSource Kernel) Load(string? cmdline, string? conf)
    {
        var kernel = new KernelCommandLineSource(cmdline);
        var root = new ConfigurationBuilder().Add(new DefaultsSource()).Add(new ShellConfSource("/lib/preinit/00_preinit.conf", conf))
            .Add(kernel).Build();
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

    [Theory]
    [InlineData(null, "50%")]
    [InlineData("preinit.ramoverlay=25%", "25%")]
    [InlineData("preinit.ramoverlay=256m", "256M")]
    [InlineData("preinit.ramoverlay=1048576", "1M")]
    [InlineData("preinit.ramoverlay=off", null)]
    [InlineData("preinit.ramoverlay=0", null)]
    public void From_RamOverlay_IsTheTmpfsSizeOrOff(string? cmdline, string? tmpfsSize)
    {
        var s = Load(cmdline, null).Settings;
        Assert.Equal(tmpfsSize, s.RamOverlay.TmpfsSize);
        Assert.Empty(s.Problems);
    }

    [Theory]
    [InlineData("preinit.ramoverlay=lots")]
    [InlineData("preinit.ramoverlay=0%")]
    [InlineData("preinit.ramoverlay=150%")]
    [InlineData("preinit.ramoverlay=512K")]
    public void From_RamOverlayThatIsNotASize_KeepsHalfOfRamAndSaysWhy(string cmdline)
    {
        var s = Load(cmdline, null).Settings;
        Assert.Equal("50%", s.RamOverlay.TmpfsSize);
        Assert.Contains(s.Problems, p => p.StartsWith($"ramoverlay='{cmdline.Split('=')[1]}' is not a size of at least 1M")
            && p.EndsWith("using 50%"));
    }

    [Fact]
    public void From_OpenWrtPreinitSettings_HaveTodaysDefaults()
    {
        var s = Load(null, null).Settings;
        Assert.Equal(new InterfaceSettings("", "192.168.1.1", "255.255.255.0", "192.168.1.255"), s.PreinitNetwork);
        Assert.Equal(TimeSpan.FromSeconds(4), s.FailsafeWaitTimeout);
        Assert.Equal((false, false, true, true, false, false), (s.Failsafe, s.NoFailsafe, s.SuppressStderr, s.InitSuppressStderr,
            s.NetMessages, s.NoFailsafeNetMessage));
    }

    [Fact]
    public void From_ConfFileInOpenWrtStyle_IsRead()
    {
        var s = Load(null, "pi_ifname=eth0\npi_ip=10.0.0.1\npi_preinit_net_messages=\"y\"\n" +
            "fs_failsafe_wait_timeout=2\npi_suppress_stderr='n'\n").Settings;
        Assert.Equal(("eth0", "10.0.0.1"), (s.PreinitNetwork.Ifname, s.PreinitNetwork.Ip));
        Assert.True(s.NetMessages);
        Assert.False(s.SuppressStderr);
        Assert.Equal(TimeSpan.FromSeconds(2), s.FailsafeWaitTimeout);
        Assert.Empty(s.Problems);
    }

    [Fact]
    public void From_FailsafeInterface_DefaultsToThePreinitOne() =>
        Assert.Equal("eth1", Load("preinit.pi_ifname=eth1", null).Settings.FailsafeNetwork.Ifname);

    [Theory]
    [InlineData("failsafe=true")]
    [InlineData("failsafe=")]
    [InlineData("preinit.failsafe")]
    [InlineData("preinit.failsafe=1")]
    public void From_FailsafeOnTheKernelCommandLine_EntersFailsafe(string cmdline) => Assert.True(Load(cmdline, null).Settings.Failsafe);

    [Fact]
    public void From_BadFlagWithYesDefault_KeepsTheDefault()
    {
        var s = Load("preinit.pi_init_suppress_stderr=perhaps", null).Settings;
        Assert.True(s.InitSuppressStderr);
        Assert.Contains(s.Problems, p => p.Contains("pi_init_suppress_stderr='perhaps'") && p.Contains("using y"));
    }
}
