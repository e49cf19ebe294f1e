// /etc/config/fstab read as OpenWrt reads it: fstools block.c (e600d84) for today's options and
// flags, 2011 block-mount's block.sh (config_get_mount, config_get_bool) for its own options.
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Uci;

public class FstabReaderTests
{
    private static FstabConfig Read(string text)
    {
        var parsed = UciParser.Parse(text, "fstab", "/etc/config/fstab");
        Assert.Empty(parsed.Problems);
        return FstabReader.Read(parsed.Package, "/etc/config/fstab");
    }

    [Fact]
    public void Read_ShippedFstab_IsThe2011RootfsDataEntryWithHotplugMounting()
    {
        var path = Path.Combine(Paths.Repository, "rootfs-overlay/etc/config/fstab");
        var parsed = UciParser.Parse(File.ReadAllBytes(path), "fstab", path);
        Assert.Empty(parsed.Problems);
        var config = FstabReader.Read(parsed.Package, path);

        Assert.Empty(config.Warnings);
        // As OpenWrt's `block detect` writes it: sections added later are mounted when their stick is plugged in.
        Assert.Equal(FstabGlobal.Defaults with { AutoMount = true, AutoSwap = true }, config.Global);
        var mount = Assert.Single(config.Mounts);
        Assert.Equal("fstab.@mount[0]", mount.Section);
        Assert.Equal(6, mount.Line);
        Assert.Equal("/storage", mount.Target);
        Assert.Equal("rootfs_data", mount.Label);
        Assert.Equal("rw,sync", mount.Options);
        Assert.True(mount.Enabled);
        Assert.True(mount.EnabledFsck);
        Assert.True(mount.IsRootfs);
        Assert.Null(mount.Fstype);
        Assert.Equal(ExtrootKind.Overlay, mount.Extroot);
        Assert.Equal("LABEL=rootfs_data", mount.SpecText);
        Assert.True(DeviceSpec.TryParse(mount.SpecText, out var spec, out _));
        Assert.Equal(mount.Spec, spec);
        Assert.Same(mount, config.Extroot);
        Assert.Empty(config.Swaps);
    }

    [Fact]
    public void Read_BlockDetectOutput_IsTodaysExtroot()
    {
        // What `block detect` prints (block.c main_detect, print_block_uci), with the mount made the overlay.
        var config = Read(
            "config 'global'\n\toption\tanon_swap\t'0'\n\toption\tanon_mount\t'0'\n\toption\tauto_swap\t'1'\n\toption\tauto_mount\t'1'\n" +
            "\toption\tdelay_root\t'5'\n\toption\tcheck_fs\t'0'\n\n" +
            "config 'mount'\n\toption\ttarget\t'/overlay'\n\toption\tuuid\t'4A2B-11CD'\n\toption\tenabled\t'1'\n\n" +
            "config 'swap'\n\toption\tdevice\t'/dev/sda2'\n\toption\tpriority\t'3'\n");
        Assert.Empty(config.Warnings);
        Assert.Equal(new FstabGlobal(AnonSwap: false, AnonMount: false, AutoSwap: true, AutoMount: true, DelayRoot: 5, CheckFs: false),
            config.Global);
        var mount = Assert.Single(config.Mounts);
        Assert.Equal(ExtrootKind.Overlay, mount.Extroot);
        Assert.Equal(new DeviceSpec(SpecKind.Uuid, "4A2B-11CD"), mount.Spec);
        Assert.False(mount.EnabledFsck);
        var swap = Assert.Single(config.Swaps);
        Assert.Equal(("/dev/sda2", 3, true), (swap.SpecText, swap.Priority, swap.Enabled));
    }

    [Theory]
    [InlineData("/", ExtrootKind.Root)]
    [InlineData("/overlay", ExtrootKind.Overlay)]
    [InlineData("/mnt/usb", ExtrootKind.None)]
    public void Read_Target_DecidesTheExtrootKind(string target, ExtrootKind kind) =>
        Assert.Equal(kind, Read($"config mount\n option target '{target}'\n option label x\n").Mounts[0].Extroot);

    [Fact]
    public void Read_UnknownOptionsAndSections_AreWarningsNamingFileLineSectionAndOption()
    {
        var config = Read("config mount 'usb'\n option target /mnt\n option label x\n" +
            " option mountpoint /mnt\nconfig mystery\n option a b\n");
        Assert.Equal(2, config.Warnings.Count);
        var option = config.Warnings[0];
        Assert.Equal(("/etc/config/fstab", 4, "fstab.usb", "mountpoint"), (option.File, option.Line, option.Section, option.Option));
        Assert.StartsWith("/etc/config/fstab:4: fstab.usb.mountpoint: unknown option 'mountpoint' for a mount section: ignored",
            option.ToString());
        Assert.Equal("/etc/config/fstab:5: fstab.@mystery[0]: section type 'mystery' is not global, mount or swap: ignored",
            config.Warnings[1].ToString());
        Assert.Single(config.Mounts);
    }

    [Theory]
    // block.c reads enabled as BLOBMSG_TYPE_INT32: uci blob.c strtol(value, &end, 0) over the whole value.
    [InlineData("1", true, false)]
    [InlineData("0", false, false)]
    [InlineData("2", true, false)]
    [InlineData("0x0", false, false)]
    [InlineData(" 0", false, false)]
    [InlineData("-1", true, false)]
    // Not a whole number: the option counts as absent, so the default (enabled) applies.
    [InlineData("no", true, true)]
    [InlineData("off", true, true)]
    [InlineData("0 ", true, true)]
    [InlineData("08", true, true)]
    public void Read_Enabled_IsReadAsBlockCReadsIt(string value, bool enabled, bool warned)
    {
        var config = Read($"config mount\n option label x\n option enabled '{value}'\n");
        Assert.Equal(enabled, config.Mounts[0].Enabled);
        Assert.Equal(warned, config.Warnings.Any(w => w.Option == "enabled" && w.Message.Contains("not a number")));
    }

    [Theory]
    // 2011 block-mount: config_get_bool's words, anything else keeps the default 0.
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("true", true)]
    [InlineData("enabled", true)]
    [InlineData("no", false)]
    [InlineData("disabled", false)]
    [InlineData("Yes", false)]
    public void Read_2011Booleans_AreReadAsConfigGetBool(string value, bool expected)
    {
        var config = Read($"config mount\n option label x\n option enabled_fsck '{value}'\n option is_rootfs '{value}'\n");
        Assert.Equal(expected, config.Mounts[0].EnabledFsck);
        Assert.Equal(expected, config.Mounts[0].IsRootfs);
        Assert.Equal(value == "Yes" ? 2 : 0, config.Warnings.Count(w => w.Message.Contains("not a boolean")));
    }

    [Fact]
    public void Read_SeveralGlobals_AddUpAsBlockCDoes()
    {
        // block.c global_add only ever sets the flags; the last delay_root wins; 010 is octal for strtol.
        var config = Read("config global\n option anon_mount 1\n option delay_root 3\nconfig global\n option anon_mount 0\n" +
            " option delay_root 010\n option check_fs yes\n");
        Assert.True(config.Global.AnonMount);
        Assert.Equal(8u, config.Global.DelayRoot);
        Assert.False(config.Global.CheckFs);
        Assert.Contains(config.Warnings, w => w.Option == "check_fs" && w.Message.Contains("not a number"));
    }

    [Fact]
    public void Read_ListValues_AreIgnoredWithAWarning()
    {
        // uci blob.c __uci_element_to_blob skips list options for scalar attributes.
        var config = Read("config mount\n list target /a\n option label x\n");
        Assert.Null(config.Mounts[0].Target);
        Assert.Contains(config.Warnings, w => w.Option == "target" && w.Message.Contains("is a list"));
    }

    [Fact]
    public void Read_MountsBlockCSkips_AreLeftOutWithAWarning()
    {
        var config = Read("config mount\n option target /a\nconfig mount\n option target relative\n option label x\n" +
            "config swap\n option enabled 1\n");
        Assert.Empty(config.Mounts);
        Assert.Empty(config.Swaps);
        Assert.Equal(3, config.Warnings.Count);
        Assert.Contains("without uuid, label or device", config.Warnings[0].Message);
        Assert.Contains("is not an absolute path", config.Warnings[1].Message);
        Assert.Contains("swap section without uuid, label or device", config.Warnings[2].Message);
    }

    [Fact]
    public void Read_Specs_ComeInBlockCsOrder()
    {
        // block.c find_block_info tries the UUID, then the label, then the device's last path component.
        var mount = Read("config mount\n option device /dev/sdb1\n option label data\n option uuid 1234-ABCD\n").Mounts[0];
        Assert.Equal(["UUID=1234-ABCD", "LABEL=data", "/dev/sdb1"], mount.Specs.Select(s => s.ToString()));
        Assert.Equal(SpecKind.Uuid, mount.Spec.Kind);
    }

    [Fact]
    public void Read_DeviceOutsideDev_IsLookedForByName()
    {
        var config = Read("config mount\n option device sda1\n");
        Assert.Equal("/dev/sda1", config.Mounts[0].SpecText);
        Assert.Contains("'sda1' is looked for as /dev/sda1", Assert.Single(config.Warnings).Message);
    }

    [Fact]
    public void Read_TwoEntriesForOneDevice_TheLaterReplacesTheEarlier()
    {
        // block.c keeps its mounts in one vlist keyed by uuid, label or device: the later one replaces the earlier.
        var config = Read("config mount\n option label x\n option target /a\nconfig mount\n option label x\n option target /b\n");
        Assert.Equal("/b", Assert.Single(config.Mounts).Target);
        var warning = Assert.Single(config.Warnings);
        Assert.Equal(("fstab.@mount[0]", 1), (warning.Section, warning.Line));
        Assert.Contains("names the same device as fstab.@mount[1] (key 'x'), which comes later and replaces it, as in block.c: ignored",
            warning.Message);
    }

    [Fact]
    public void Read_SwapAfterAMountOfTheSameDevice_ReplacesTheMount_ButADisabledOneDoesNot()
    {
        // One list for both kinds; a disabled section never enters it.
        var config = Read("config mount\n option uuid u1\n option target /a\nconfig swap\n option uuid u1\n" +
            "config mount\n option label y\n option target /y\nconfig mount\n option label y\n option enabled 0\n");
        Assert.Equal("u1", Assert.Single(config.Swaps).Uuid);
        Assert.Equal(["/y", null], config.Mounts.Select(m => m.Target));
    }

    [Fact]
    public void Extroot_SeveralOfOneKind_TheFirstInBlockCsKeyOrderWins()
    {
        // find_block walks block.c's list in key order (strcmp): uuid "aaa" before label "zzz", whatever the file's order.
        var config = Read("config mount\n option label zzz\n option target /overlay\nconfig mount\n" +
            " option uuid aaa\n option target /overlay\n");
        Assert.Equal("aaa", config.Extroot!.Uuid);
    }


    [Fact]
    public void Read_SeveralRoots_PicksBlockCsAndWarns()
    {
        // block.c mount_extroot: find_block(..., "/") before "/overlay"; the 2011 is_rootfs comes last.
        var config = Read("config mount\n option label a\n option is_rootfs 1\nconfig mount\n option label b\n option target /overlay\n" +
            "config mount\n option label c\n option target /\n option enabled 1\nconfig mount\n option label d\n" +
            " option target /\n option enabled 0\n");
        Assert.Equal("LABEL=c", config.Extroot!.SpecText);
        Assert.Equal(2, config.Warnings.Count(w => w.Message.Contains("the extroot is fstab.@mount[2]")));
    }

    [Fact]
    public void Read_2011GlobalOptions_AreNotSilentlyDropped()
    {
        var config = Read("config global 'automount'\n option from_fstab 1\n option anon_mount 1\n");
        Assert.True(config.Global.AnonMount);
        var warning = Assert.Single(config.Warnings);
        Assert.Equal(("fstab.automount", "from_fstab"), (warning.Section, warning.Option));
        Assert.Contains("2011 block-mount option", warning.Message);
    }
}
