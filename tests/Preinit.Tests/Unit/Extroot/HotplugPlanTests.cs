// What `preinit hotplug` does with a device plugged in or removed after boot, as block.c's hotplug:
// auto_mount and auto_swap gate named devices, anon_mount unnamed ones, the root's section is never
// mounted, and a device the root stands on is kept, with the warning.
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;
using Xunit;

namespace Preinit.Tests.Unit.Extroot;

public class HotplugPlanTests
{
    private static ProbedDevice Dev(string name, string? type, string? label = null, string? uuid = null, bool readOnly = false) =>
        new(new BlockDevice(name, 8, 0, 1L << 30, true, readOnly, null, null, null), type, label, uuid, null, null);

    private static FstabConfig Fstab(string text) =>
        FstabReader.Read(UciParser.Parse(System.Text.Encoding.UTF8.GetBytes(text), "fstab", "fstab").Package, "fstab");

    private static HotplugAdd Add(string fstab, ProbedDevice device, string[]? mounted = null, string[]? mountPoints = null,
        string[]? swaps = null) =>
        HotplugPlan.ForAdded(Fstab(fstab), device, (mounted ?? []).ToHashSet(), t => (mountPoints ?? []).Contains(t),
            (swaps ?? []).ToHashSet(),
            d => d.Type == "iso9660" ? "iso9660 is a read-only boot medium" : null);

    private const string AutoMount = "config global\n\toption auto_mount 1\n";
    private const string Data = "config mount\n\toption label data\n\toption target /srv/data\n\toption options rw,noatime\n";
    private const string Extroot = "config mount\n\toption target /storage\n\toption label rootfs_data\n\toption is_rootfs 1\n";

    [Fact]
    public void Named_WithAutoMount_IsMountedOnItsTarget()
    {
        var add = Add(AutoMount + Data, Dev("sdb1", "ext4", "data"));
        Assert.Equal(HotplugAction.Mount, add.Action);
        Assert.Equal(("/dev/sdb1", "/srv/data", "ext4", "rw,noatime", false),
            (add.Mount!.DevicePath, add.Mount.Target, add.Mount.Type, add.Mount.Options, add.Mount.Check));
        Assert.Equal("fstab section fstab.@mount[0]: LABEL=data", add.Why);
    }

    [Fact]
    public void Named_WithoutTarget_GoesToMntName_CheckedWithCheckFs()
    {
        var add = Add("config global\n\toption auto_mount 1\n\toption check_fs 1\nconfig mount\n\toption uuid 1111-2222\n",
            Dev("sdc", "vfat", uuid: "1111-2222"));
        Assert.Equal(("/mnt/sdc", true), (add.Mount!.Target, add.Mount.Check));
    }

    [Fact]
    public void Named_WithoutAutoMount_IsNotMounted_AndSaysHowToMountIt()
    {
        var add = Add(Data, Dev("sdb1", "ext4", "data"));
        Assert.Equal(HotplugAction.Nothing, add.Action);
        Assert.Equal("/dev/sdb1 not mounted: fstab section fstab.@mount[0] names it, but auto_mount is off in config global " +
            "(without it only boot mounts it; `preinit mount` mounts it now)", add.Why);
    }

    [Theory]
    [InlineData(Extroot, "is_rootfs 1")]
    [InlineData("config mount\n\toption target /overlay\n\toption label rootfs_data\n", "target /overlay")]
    [InlineData("config mount\n\toption target /\n\toption label rootfs_data\n", "target /")]
    public void RootsSection_IsNeverMountedOnHotplug(string section, string why)
    {
        var add = Add("config global\n\toption auto_mount 1\n\toption anon_mount 1\n" + section, Dev("sdb", "ext4", "rootfs_data"));
        Assert.Equal(HotplugAction.Nothing, add.Action);
        Assert.Equal($"/dev/sdb not mounted: fstab section fstab.@mount[0] is the root's ({why}); only boot mounts it", add.Why);
    }

    [Fact]
    public void Unnamed_WithAnonMount_GoesToMntName_WhateverAutoMount()
    {
        var add = Add("config global\n\toption anon_mount 1\n" + Data, Dev("sdd1", "vfat", "PHOTOS"));
        Assert.Equal(("/dev/sdd1", "/mnt/sdd1", "anon_mount 1"), (add.Mount!.DevicePath, add.Mount.Target, add.Why));
    }

    [Fact]
    public void Unnamed_WithoutAnonMount_SaysSo_NamingADisabledSection()
    {
        Assert.Equal("/dev/sdd1 not mounted: no enabled fstab section names it and anon_mount is off",
            Add(AutoMount + Data, Dev("sdd1", "vfat", "PHOTOS")).Why);
        Assert.Equal("/dev/sdb1 not mounted: no enabled fstab section names it (fstab section fstab.@mount[0] names it but is disabled) " +
            "and anon_mount is off", Add(AutoMount + Data + "\toption enabled 0\n", Dev("sdb1", "ext4", "data")).Why);
    }

    [Fact]
    public void AlreadyMountedTargetBusyOrBootMedium_IsNotMounted()
    {
        Assert.Equal("/dev/sdb1 (fstab section fstab.@mount[0]): already mounted",
            Add(AutoMount + Data, Dev("sdb1", "ext4", "data"), mounted: ["/dev/sdb1"]).Why);
        Assert.Equal("/dev/sdb1 (fstab section fstab.@mount[0]): something else is already mounted on /srv/data; not mounted",
            Add(AutoMount + Data, Dev("sdb1", "ext4", "data"), mountPoints: ["/srv/data"]).Why);
        Assert.Equal("/dev/sr0 ignored: iso9660 is a read-only boot medium",
            Add("config global\n\toption anon_mount 1\n", Dev("sr0", "iso9660")).Why);
    }

    [Fact]
    public void Swap_NeedsAutoSwap_ThenASectionOrAnonSwap()
    {
        const string section = "config swap\n\toption label swap1\n\toption priority 5\n";
        Assert.Contains("auto_swap is off", Add(section, Dev("sde", "swap", "swap1")).Why);
        var named = Add("config global\n\toption auto_swap 1\n" + section, Dev("sde", "swap", "swap1"));
        Assert.Equal((HotplugAction.Swap, "/dev/sde", (int?)5), (named.Action, named.Swap!.DevicePath, named.Swap.Priority));
        Assert.Equal(HotplugAction.Nothing, Add("config global\n\toption auto_swap 1\n", Dev("sdf", "swap")).Action);
        Assert.Equal(HotplugAction.Swap, Add("config global\n\toption auto_swap 1\n\toption anon_swap 1\n", Dev("sdf", "swap")).Action);
        Assert.Equal("swap /dev/sde is already in use",
            Add("config global\n\toption auto_swap 1\n" + section, Dev("sde", "swap", "swap1"), swaps: ["/dev/sde"]).Why);
        Assert.Contains("read-only", Add("config global\n\toption auto_swap 1\n\toption anon_swap 1\n",
            Dev("sdf", "swap", readOnly: true)).Why);
    }

    [Fact]
    public void Removed_DataStick_IsUnmountedLastMountedFirst_AndItsSwapSwitchedOff()
    {
        var remove = HotplugPlan.ForRemoved("/dev/sdb1", ["/srv/data", "/srv/data/bind"], swapActive: true, "/storage/upper", ["/rom"]);
        Assert.Equal(["/srv/data/bind", "/srv/data"], remove.Unmount);
        Assert.True(remove.Swapoff);
        Assert.Null(remove.RootWarning);
    }

    [Fact]
    public void Removed_OverlayStick_IsKept_WithTheWarningInCapitals()
    {
        var remove = HotplugPlan.ForRemoved("/dev/sda", ["/storage"], swapActive: false, "/storage/upper", ["/rom"]);
        Assert.Empty(remove.Unmount);
        Assert.Equal(HotplugPlan.OverlayStickRemoved("/dev/sda", "/storage/upper"), remove.RootWarning);
        Assert.StartsWith("OVERLAY STICK REMOVED: /dev/sda", remove.RootWarning);
        Assert.Contains("CHANGES FROM NOW ON ARE LOST", remove.RootWarning);
        Assert.Contains("Put the stick back and reboot", remove.RootWarning);
    }

    [Fact]
    public void Removed_WholeRootStickOrSavedChangesStick_IsKept_WithItsWarning()
    {
        Assert.Equal(HotplugPlan.RootStickRemoved("/dev/sda"), HotplugPlan.ForRemoved("/dev/sda", ["/"], false, null, []).RootWarning);
        var saved = HotplugPlan.ForRemoved("/dev/sda", ["/storage"], false, "/tmp/root/upper", ["/storage/upper", "/rom"]);
        Assert.Empty(saved.Unmount);
        Assert.Equal(HotplugPlan.SavedChangesStickRemoved("/dev/sda", "/storage/upper"), saved.RootWarning);
    }

    [Fact]
    public void Removed_ADeviceWhoseNameStartsLikeTheStickMount_IsNotTheStick()
    {
        var remove = HotplugPlan.ForRemoved("/dev/sdc", ["/stor"], false, "/storage/upper", ["/rom"]);
        Assert.Equal(["/stor"], remove.Unmount);
        Assert.Null(remove.RootWarning);
    }

    [Fact]
    public void PersistHint_OnlyForRootfsDataInARamOnlySession()
    {
        var stick = Dev("sdb1", "ext4", "rootfs_data");
        Assert.Equal("A stick labelled rootfs_data was plugged in (/dev/sdb1). This session's changes are only in RAM; " +
            "`preinit persist` saves them onto it, so the next boot with the stick has them.",
            HotplugPlan.PersistHint(stick, ramOnly: true));
        Assert.Null(HotplugPlan.PersistHint(stick, ramOnly: false));
        Assert.Null(HotplugPlan.PersistHint(Dev("sdb1", "ext4", "data"), ramOnly: true));
    }
}
