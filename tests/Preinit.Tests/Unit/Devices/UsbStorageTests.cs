// USB storage still being scanned, from a fake sysfs: a mass-storage interface without a disk yet
// is pending, and the wait for the stick, having found a match, gives it a few seconds before it
// decides (another stick with the same label may be that interface's disk).
using Preinit.Boot.Devices;
using Preinit.Core.Devices;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public sealed class UsbStorageTests : IDisposable
{
    private readonly string sys = Directory.CreateTempSubdirectory("preinit-usb-sysfs.").FullName;

    public void Dispose() => Directory.Delete(sys, true);

    private string Interface(string name, string interfaceClass)
    {
        var dir = Path.Combine(sys, "bus/usb/devices", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "bInterfaceClass"), interfaceClass + "\n");
        return dir;
    }

    private static void Disk(string usbInterface, string host) =>
        Directory.CreateDirectory(Path.Combine(usbInterface, $"{host}/target{host[4..]}:0:0/{host[4..]}:0:0:0/block/sdx"));

    /// <summary>An 8 MiB ext4 image as the fake sysfs's block device sdz, in a dev directory of its own; returns that directory.</summary>
    private string StickAtSdz(params string[] mkfsArguments)
    {
        var dev = Directory.CreateDirectory(Path.Combine(sys, "dev")).FullName;
        File.Move(Tools.Image("preinit-settle", 8 << 20, "mkfs.ext4", ["-q", "-F", .. mkfsArguments]), Path.Combine(dev, "sdz"));
        var block = Directory.CreateDirectory(Path.Combine(sys, "class/block/sdz")).FullName;
        File.WriteAllText(Path.Combine(block, "dev"), "8:0\n");
        File.WriteAllText(Path.Combine(block, "size"), $"{(8 << 20) / 512}\n");
        return dev;
    }

    [Fact]
    public void Pending_IsEveryMassStorageInterfaceWithoutADisk()
    {
        Disk(Interface("1-1:1.0", "08"), "host0");          // scanned: has its disk
        Interface("1-2:1.0", "08");                          // not bound or not scanned yet
        Directory.CreateDirectory(Path.Combine(Interface("1-3:1.0", "08"), "host4/target4:0:0")); // scanning
        Interface("1-4:1.0", "03");                          // a keyboard
        Directory.CreateDirectory(Path.Combine(sys, "bus/usb/devices/usb1"));  // a hub, no interface class

        Assert.Equal(["1-2:1.0", "1-3:1.0"], UsbStorage.Pending(sys).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pending_NoUsbAtAll_IsNothing() => Assert.Empty(UsbStorage.Pending(sys));

    [ToolFact("mkfs.ext4")]
    public void Wait_MatchWhileAnotherStickIsBeingScanned_WaitsForIt_ThenDecides()
    {
        var dev = StickAtSdz("-L", "rootfs_data");
        Interface("2-1:1.0", "08");
        var log = new List<string>();

        var found = new DeviceWaiter(null, log.Add, sys, dev).Wait(new DeviceSpec(SpecKind.Label, "rootfs_data"), TimeSpan.FromSeconds(30));

        Assert.Equal("sdz", found.Device?.Device.Name);
        Assert.Contains(log, l => l.StartsWith("found a match; waiting up to 3 s for USB storage still being scanned (2-1:1.0)",
            StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("USB storage still not scanned after 3 s (2-1:1.0): deciding without it",
            StringComparison.Ordinal));
    }

    [ToolFact("mkfs.ext4")]
    public void Wait_DeviceNamedByPath_DoesNotWaitForOtherSticks()
    {
        var dev = StickAtSdz();
        Interface("2-1:1.0", "08");
        var log = new List<string>();

        var found = new DeviceWaiter(null, log.Add, sys, dev).Wait(new DeviceSpec(SpecKind.Path, "/dev/sdz"), TimeSpan.FromSeconds(30));

        Assert.Equal("sdz", found.Device?.Device.Name);
        Assert.Empty(log);
    }
}
