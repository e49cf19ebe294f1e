// USB mass-storage interfaces (class 08, as usb-storage and uas drive them) whose disk has not
// appeared yet. The kernel scans such a device a moment after it is plugged (usb-storage first
// waits its delay_use, 1 s), so while one is pending, another stick with the same label may still
// be on its way.
namespace Preinit.Boot.Devices;

public static class UsbStorage
{
    private const string MassStorageClass = "08";

    /// <returns>The pending interfaces by their sysfs names (1-1:1.0).</returns>
    public static IReadOnlyList<string> Pending(string sysRoot = "/sys")
    {
        var pending = new List<string>();
        var interfaces = Path.Combine(sysRoot, "bus/usb/devices");
        if (!Directory.Exists(interfaces)) return pending;
        foreach (var usbInterface in Directory.EnumerateDirectories(interfaces))
        {
            try
            {
                var classFile = Path.Combine(usbInterface, "bInterfaceClass");
                if (File.Exists(classFile) && File.ReadAllText(classFile).Trim() == MassStorageClass && !HasDisk(usbInterface))
                    pending.Add(Path.GetFileName(usbInterface));
            }
            catch (IOException) { } // unplugged while looking: nothing pending there
        }
        return pending;
    }

    /// <summary>The interface's SCSI host has a device with a block device: host*/target*/H:C:T:L/block.</summary>
    private static bool HasDisk(string usbInterface)
    {
        foreach (var host in Directory.EnumerateDirectories(usbInterface, "host*"))
            foreach (var target in Directory.EnumerateDirectories(host, "target*"))
                foreach (var unit in Directory.EnumerateDirectories(target, "*:*"))
                    if (Directory.Exists(Path.Combine(unit, "block"))) return true;
        return false;
    }
}
