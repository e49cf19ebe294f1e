// The extroot decision as data (ExtrootPlan.Decide): every row of it, from the settings and the
// parsed fstab alone, before any device is looked at.
using Preinit.Core.Configuration;
using Preinit.Core.Extroot;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class ExtrootPlanTests
{
    private const string Path = "/etc/config/fstab";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static FstabConfig Fstab(string text) =>
        FstabReader.Read(UciParser.Parse(System.Text.Encoding.UTF8.GetBytes(text), "fstab", Path).Package, Path);

    private static ExtrootSetting Setting(string text)
    {
        Assert.True(ExtrootSetting.TryParse(text, out var setting, out var error), error);
        return setting;
    }

    private static ExtrootPlan Plan(string fstab, string extroot = "fstab", FsckMode fsck = FsckMode.Auto) =>
        ExtrootPlan.Decide(Setting(extroot), fsck, Wait, fstab.Length == 0 ? null : Fstab(fstab), Path);

    private const string Overlay = "config mount\n\toption target /overlay\n\toption label rootfs_data\n\toption options rw,noatime\n";

    [Theory]
    [InlineData("fstab", ExtrootSource.Fstab, "fstab")]
    [InlineData(" OFF ", ExtrootSource.Off, "off")]
    [InlineData("LABEL=stick", ExtrootSource.Device, "LABEL=stick")]
    [InlineData("/dev/sdb1", ExtrootSource.Device, "/dev/sdb1")]
    public void Setting_IsParsedOnce_IntoItsKind(string text, ExtrootSource source, string shown)
    {
        var setting = Setting(text);
        Assert.Equal(source, setting.Source);
        Assert.Equal(shown, setting.ToString());
    }

    [Theory]
    [InlineData("LABEL=")]
    [InlineData("rootfs_data")]
    [InlineData("SERIAL=123")]
    public void Setting_NoDeviceSpec_IsRefused_AndMeansOff(string text)
    {
        Assert.False(ExtrootSetting.TryParse(text, out var setting, out var error));
        Assert.Equal(ExtrootSource.Off, setting.Source);
        Assert.Contains("is not a device", error);
    }

    [Fact]
    public void Off_NoStick_WhateverFstabSays()
    {
        var plan = Plan(Overlay, "off");
        Assert.Null(plan.Spec);
        Assert.Equal(["extroot: none: preinit.extroot=off"], plan.Describe());
    }

    [Theory]
    [InlineData("")]
    [InlineData("config mount\n\toption target /storage\n\toption label data\n")]
    [InlineData("config mount\n\toption target /overlay\n\toption label rootfs_data\n\toption enabled 0\n")]
    public void FstabWithoutAnEnabledExtrootEntry_NoStick(string fstab)
    {
        var plan = Plan(fstab);
        Assert.Null(plan.Spec);
        Assert.Equal($"{Path} has no enabled extroot entry (target /overlay, target /, or is_rootfs 1)", plan.NoneBecause);
    }

    [Fact]
    public void OverlayEntry_TheUpperLayer_OnItsTarget_WithItsOptions()
    {
        var plan = Plan(Overlay);
        Assert.Equal("LABEL=rootfs_data", plan.Spec!.ToString());
        Assert.Equal(ExtrootKind.Overlay, plan.Kind);
        Assert.Equal("/overlay", plan.MountPoint);
        Assert.Equal(MountOptions.Parse("rw,noatime"), plan.Options);
        Assert.Equal(
            [
                $"extroot: LABEL=rootfs_data from fstab.@mount[0] ({Path}:1): the overlay's upper layer, " +
                    "mounted on /overlay with rw,noatime",
                "fsck: no (neither enabled_fsck 1 in its section nor check_fs 1 in config global)",
                "wait: up to 15 s (preinit.wait)",
            ],
            plan.Describe());
    }

    [Fact]
    public void IsRootfs_2011_TheUpperLayer_OnTheSectionsOwnTarget()
    {
        var plan = Plan("config mount\n\toption target /storage\n\toption label rootfs_data\n" +
            "\toption is_rootfs 1\n\toption enabled_fsck 1\n");
        Assert.Equal(ExtrootKind.Overlay, plan.Kind);
        Assert.Equal("/storage", plan.MountPoint);
        Assert.True(plan.Fsck);
        Assert.Equal("enabled_fsck 1", plan.FsckBecause);
    }

    [Fact]
    public void TargetSlash_TheWholeRoot_MountedFirstOnMnt()
    {
        var plan = Plan("config mount\n\toption target /\n\toption uuid 0b5f1c3e-aaaa-bbbb-cccc-0123456789ab\n");
        Assert.Equal(ExtrootKind.Root, plan.Kind);
        Assert.Equal(ExtrootPlan.WholeRootMount, plan.MountPoint);
        Assert.StartsWith("extroot: UUID=0b5f1c3e-aaaa-bbbb-cccc-0123456789ab from fstab.@mount[0] (/etc/config/fstab:1): " +
            "the whole root, mounted first on /mnt",
            plan.Describe()[0]);
    }

    [Fact]
    public void SeveralEntries_TheWholeRootFirst_ThenTheOverlay_ThenIsRootfs()
    {
        // block.c mount_extroot: "/" before "/overlay"; the 2011 is_rootfs only without either.
        var rootfs = "config mount\n\toption target /storage\n\toption label old\n\toption is_rootfs 1\n";
        var whole = "config mount\n\toption target /\n\toption label whole\n";
        Assert.Equal("LABEL=whole", Plan(rootfs + Overlay + whole).Spec!.ToString());
        Assert.Equal("LABEL=rootfs_data", Plan(rootfs + Overlay).Spec!.ToString());
        Assert.Equal("LABEL=old", Plan(rootfs).Spec!.ToString());
    }

    [Fact]
    public void SeveralOverlayEntries_TheFirstInBlockKeyOrder_NotTheFilesOrder()
    {
        // find_block walks its list sorted by key (uuid, else label, else device): label "a" before label "b".
        var plan = Plan("config mount\n\toption target /overlay\n\toption label b\nconfig mount\n" +
            "\toption target /overlay\n\toption label a\n");
        Assert.Equal("LABEL=a", plan.Spec!.ToString());
    }

    [Fact]
    public void DeviceOnTheCommandLine_ReplacesOnlyTheDevice_TheEntryGivesTargetOptionsAndFsck()
    {
        var plan = Plan(Overlay + "\toption enabled_fsck 1\n", "UUID=1234-ABCD");
        Assert.Equal("UUID=1234-ABCD", plan.Spec!.ToString());
        Assert.Equal("/overlay", plan.MountPoint);
        Assert.True(plan.Fsck);
        Assert.Equal("extroot: UUID=1234-ABCD from preinit.extroot on the kernel command line, " +
            $"with the target and options of fstab.@mount[0] ({Path}:1): the overlay's upper layer, mounted on /overlay with rw,noatime",
            plan.Describe()[0]);
    }

    [Fact]
    public void DeviceOnTheCommandLine_WithoutFstab_AnOverlayOnOverlay()
    {
        var plan = Plan("", "LABEL=stick");
        Assert.Equal(ExtrootKind.Overlay, plan.Kind);
        Assert.Equal(ExtrootPlan.DefaultTarget, plan.MountPoint);
        Assert.Equal(default, plan.Options);
        Assert.Equal("extroot: LABEL=stick from preinit.extroot on the kernel command line: the overlay's upper layer, mounted on /overlay",
            plan.Describe()[0]);
    }

    public static TheoryData<FsckMode, string, bool, string> FsckRows => new()
    {
        { FsckMode.Force, Overlay, true, "preinit.fsck=force" },
        { FsckMode.Off, Overlay + "\toption enabled_fsck 1\n", false, "preinit.fsck=off" },
        { FsckMode.Off, "config global\n\toption check_fs 1\n" + Overlay, false, "preinit.fsck=off" },
        { FsckMode.Auto, Overlay + "\toption enabled_fsck 1\n", true, "enabled_fsck 1" },
        { FsckMode.Auto, "config global\n\toption check_fs 1\n" + Overlay, true, "check_fs 1 in config global" },
        { FsckMode.Auto, Overlay, false, "neither enabled_fsck 1 in its section nor check_fs 1 in config global" },
    };

    [Theory]
    [MemberData(nameof(FsckRows))]
    public void Fsck_ByTheSetting_ThenTheSection_ThenConfigGlobal(FsckMode mode, string fstab, bool check, string because)
    {
        var plan = Plan(fstab, fsck: mode);
        Assert.Equal(check, plan.Fsck);
        Assert.Equal(because, plan.FsckBecause);
        Assert.Contains($"fsck: {(check ? "yes" : "no")} ({because})", plan.Describe());
    }

    [Theory]
    [InlineData(15, 0u, 15, "preinit.wait")]
    [InlineData(15, 10u, 15, "preinit.wait")]
    [InlineData(15, 40u, 40, "delay_root in /etc/config/fstab, longer than preinit.wait")]
    [InlineData(2, 4000000000u, 3600, "delay_root in /etc/config/fstab, longer than preinit.wait")]
    public void Wait_IsTheLongerOfPreinitWaitAndDelayRoot_AtMostAnHour(double wait, uint delayRoot, double expected, string because)
    {
        var plan = ExtrootPlan.Decide(ExtrootSetting.Fstab, FsckMode.Auto, TimeSpan.FromSeconds(wait),
            Fstab($"config global\n\toption delay_root {delayRoot}\n" + Overlay), Path);
        Assert.Equal(TimeSpan.FromSeconds(expected), plan.Wait);
        Assert.Equal(because, plan.WaitBecause);
    }
}
