using Preinit.Core.Devices;
using Preinit.Core.Extroot;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public class DeviceSpecTests
{
    private static ProbedDevice Dev(string name, string? type = "ext4", string? label = null, string? uuid = null,
        bool removable = false, string? partUuid = null, string? partLabel = null, string? backing = null, bool ro = false) =>
        new(new BlockDevice(name, 8, 0, 1L << 30, removable, ro, null, null, backing), type, label, uuid, partUuid, partLabel);

    [Theory]
    [InlineData("LABEL=rootfs_data", SpecKind.Label, "rootfs_data")]
    [InlineData("label=\"with space\"", SpecKind.Label, "with space")]
    [InlineData("UUID=ABCD-1234", SpecKind.Uuid, "ABCD-1234")]
    [InlineData("PARTUUID=1234abcd-01", SpecKind.PartUuid, "1234abcd-01")]
    [InlineData("PARTLABEL=data", SpecKind.PartLabel, "data")]
    [InlineData("/dev/sdb1", SpecKind.Path, "/dev/sdb1")]
    public void TryParse_AcceptsEveryForm(string text, SpecKind kind, string value)
    {
        Assert.True(DeviceSpec.TryParse(text, out var spec, out _));
        Assert.Equal(new DeviceSpec(kind, value), spec);
    }

    [Theory]
    [InlineData("rootfs_data")]
    [InlineData("LABEL=")]
    [InlineData("SERIAL=123")]
    public void TryParse_RejectsWithTheFormsInTheMessage(string text)
    {
        Assert.False(DeviceSpec.TryParse(text, out _, out var error));
        Assert.Contains("LABEL=name", error);
    }

    [Fact]
    public void Matches_UuidIgnoresCase_LabelDoesNot()
    {
        Assert.True(new DeviceSpec(SpecKind.Uuid, "abcd-1234").Matches(Dev("sdb1", uuid: "ABCD-1234")));
        Assert.False(new DeviceSpec(SpecKind.Label, "ROOTFS_DATA").Matches(Dev("sdb1", label: "rootfs_data")));
        Assert.True(new DeviceSpec(SpecKind.Path, "/dev/sdb1").Matches(Dev("sdb1")));
    }

    [Fact]
    public void Choose_OneMatch_IsChosenWithoutWarning()
    {
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"),
            [Dev("sda1", label: "other"), Dev("sdb1", label: "rootfs_data")], _ => null);
        Assert.Equal("sdb1", c.Chosen!.Device.Name);
        Assert.Null(c.Warning);
    }

    [Fact]
    public void Choose_TwoMatches_PrefersRemovableAndWarnsWithBoth()
    {
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"),
            [Dev("sda1", label: "rootfs_data", uuid: "A"), Dev("sdb1", label: "rootfs_data", uuid: "B", removable: true)], _ => null);
        Assert.Equal("sdb1", c.Chosen!.Device.Name);
        Assert.Contains("2 devices match LABEL=rootfs_data", c.Warning);
        Assert.Contains("/dev/sda1 (fixed, ext4, UUID=A)", c.Warning);
        Assert.Contains("using /dev/sdb1 (removable)", c.Warning);
    }

    [Fact]
    public void Choose_TwoAlikeMatches_TakesTheFirstByNameAndSaysSo()
    {
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "x"), [Dev("sdc1", label: "x"), Dev("sdb1", label: "x")], _ => null);
        Assert.Equal("sdb1", c.Chosen!.Device.Name);
        Assert.Contains("first by name", c.Warning);
    }

    [Theory]
    [InlineData(StickPairing.PairedHere, StickPairing.Unpaired, "paired with this system")]
    [InlineData(StickPairing.ThisSystem, StickPairing.Unpaired, "holds changes of this system, recorded on another stick")]
    [InlineData(StickPairing.Unpaired, StickPairing.OtherSystem, "not paired with any system")]
    public void Choose_ThePairedStickWins_OverAnEarlierRemovableOne(StickPairing later, StickPairing earlier, string reason)
    {
        var pairings = new Dictionary<string, StickPairing> { ["sdb1"] = earlier, ["sdc1"] = later };
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"),
            [Dev("sdb1", label: "rootfs_data", removable: true), Dev("sdc1", label: "rootfs_data")], _ => null,
                d => pairings[d.Device.Name]);
        Assert.Equal("sdc1", c.Chosen!.Device.Name);
        Assert.Contains($"using /dev/sdc1 ({reason})", c.Warning);
    }

    [Fact]
    public void Choose_OneEligibleMatch_ReadsNoPairing()
    {
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"), [Dev("sdb1", label: "rootfs_data")], _ => null,
            _ => throw new InvalidOperationException("a single match must not be mounted to read its record"));
        Assert.Equal("sdb1", c.Chosen!.Device.Name);
    }

    [Fact]
    public void Choose_WritableAndWriteProtectedMatch_PrefersTheWritableEvenWhenFixed()
    {
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"),
            [Dev("sda1", label: "rootfs_data", uuid: "A"), Dev("sdb1", label: "rootfs_data", uuid: "B", removable: true, ro: true)],
            Preinit.Boot.Devices.DeviceExclusion.Reason);
        Assert.Equal("sda1", c.Chosen!.Device.Name);
        Assert.Contains("/dev/sdb1 (removable, read-only, ext4, UUID=B)", c.Warning);
        Assert.Contains("using /dev/sda1 (writable)", c.Warning);
    }

    [Fact]
    public void Choose_OnlyAWriteProtectedStick_IsTheStick_ButNeverASwapDevice()
    {
        var stick = Dev("sdb1", label: "rootfs_data", removable: true, ro: true);
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"), [stick], Preinit.Boot.Devices.DeviceExclusion.Reason);
        Assert.Equal("sdb1", c.Chosen!.Device.Name);
        Assert.Null(c.Warning);
        Assert.Equal("the device is read-only", Preinit.Boot.Devices.DeviceExclusion.SwapReason(stick));
    }

    [Fact]
    public void Choose_OurRootImageAndTheBootMedium_NeverCount()
    {
        var root = Dev("loop0", label: "rootfs_data", backing: "/.preinit-root.img (deleted)");
        var iso = Dev("sr0", type: "iso9660", label: "rootfs_data");
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"), [root, iso],
            Preinit.Boot.Devices.DeviceExclusion.Reason);
        Assert.Null(c.Chosen);
        Assert.Contains("/dev/loop0 ignored: it is preinit's own RAM root image", c.Warning);
        Assert.Contains("/dev/sr0 ignored: iso9660 is a read-only boot medium", c.Warning);
    }

    /// <summary>A UDF bridge disc (an installer DVD) was iso9660 to us before UDF was probed: it still never counts.</summary>
    [Fact]
    public void Choose_UdfDisc_NeverCounts()
    {
        var dvd = Dev("sr0", type: "udf", label: "rootfs_data");
        var c = DeviceChoice.Choose(new DeviceSpec(SpecKind.Label, "rootfs_data"), [dvd], Preinit.Boot.Devices.DeviceExclusion.Reason);
        Assert.Null(c.Chosen);
        Assert.Contains("/dev/sr0 ignored: udf is a disc format", c.Warning);
    }

    [Fact]
    public void Report_NothingMatches_ListsDevicesAndTheCommandForTheLikelyStick()
    {
        var seen = new[] { Dev("sda1", type: "ext4", label: "debian"), Dev("sdb1", type: "vfat", label: "KINGSTON", uuid: "1234-ABCD",
            removable: true) };
        var lines = DeviceReport.NothingMatches(new DeviceSpec(SpecKind.Label, "rootfs_data"), seen, TimeSpan.FromSeconds(15), _ => null);
        Assert.Contains("no device matches LABEL=rootfs_data (waited 15.0 s).", lines[0]);
        Assert.Contains(lines, l => l.Contains("/dev/sdb1") && l.Contains("vfat") && l.Contains("LABEL=\"KINGSTON\"")
            && l.Contains("removable"));
        Assert.Contains(lines, l => l.Contains("label it: fatlabel /dev/sdb1 rootfs_data")
            && l.Contains("preinit label /dev/sdb1 rootfs_data"));
    }

    [Fact]
    public void Report_StickWithoutFilesystem_SuggestsMakingOne()
    {
        var lines = DeviceReport.NothingMatches(new DeviceSpec(SpecKind.Label, "rootfs_data"),
            [Dev("sdb", type: null, removable: true)], TimeSpan.Zero, _ => null);
        Assert.Contains(lines, l => l.Contains("mkfs.ext4 -L rootfs_data /dev/sdb (this erases it)"));
    }

    [Fact]
    public void Report_LiveImageOnAStick_SuggestsAddingRootfsDataToIt_ButNotForACd()
    {
        var spec = new DeviceSpec(SpecKind.Label, "rootfs_data");
        var stick = DeviceReport.NothingMatches(spec, [Dev("sda", type: "iso9660", removable: true)], TimeSpan.Zero,
            Preinit.Boot.Devices.DeviceExclusion.Reason);
        Assert.Contains(stick, l => l == "the Live image is on the disk /dev/sda: to keep changes on it, run preinit stick /dev/sda " +
            "(it adds a rootfs_data partition after the image), then reboot");

        var cd = DeviceReport.NothingMatches(spec, [Dev("sr0", type: "iso9660", removable: true)], TimeSpan.Zero,
            Preinit.Boot.Devices.DeviceExclusion.Reason);
        Assert.DoesNotContain(cd, l => l.Contains("preinit stick"));
    }
}
