// The /dev node a device's uevent asks for, as devtmpfs would make it (drivers/base/devtmpfs.c):
// DEVNAME is the path under /dev (net/tun, bus/usb/001/001), MAJOR and MINOR the device number,
// DEVMODE the permissions when the driver gives some (0600 otherwise), a block node for the block
// subsystem. For kernels without devtmpfs (OpenWrt's): the same nodes made with mknod. Pure; a
// DEVNAME that would leave /dev ("..", an absolute path) makes no node.
namespace Preinit.Core.Devices;

public sealed record DeviceNode(string Name, bool Block, uint Major, uint Minor, uint Mode)
{
    public const uint DefaultMode = 0b110_000_000;

    /// <param name="values">The uevent's KEY=VALUE pairs (from a netlink uevent, or a sysfs uevent file).</param>
    /// <param name="block">Whether the device is a block device (subsystem block, /sys/dev/block).</param>
    public static DeviceNode? From(IReadOnlyDictionary<string, string> values, bool block)
    {
        if (!values.TryGetValue("DEVNAME", out var name) || !uint.TryParse(values.GetValueOrDefault("MAJOR"), out var major) ||
            !uint.TryParse(values.GetValueOrDefault("MINOR"), out var minor))
            return null;
        if (name.Length == 0 || name[0] == '/' || name.Contains('\0'))
            return null;
        foreach (var part in name.Split('/'))
            if (part is "" or "." or "..") return null;
        var mode = DefaultMode;
        if (values.GetValueOrDefault("DEVMODE") is { } text)
        {
            try { mode = Convert.ToUInt32(text, 8) & 0b111_111_111; }
            catch (FormatException) { }
            catch (OverflowException) { }
        }
        return new DeviceNode(name, block, major, minor, mode);
    }

    /// <summary>KEY=VALUE lines, as a sysfs uevent file holds them.</summary>
    public static Dictionary<string, string> ParseUeventFile(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq]] = line[(eq + 1)..];
        }
        return values;
    }
}
