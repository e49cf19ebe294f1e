// A kernel uevent as the kernel sends it on NETLINK_KOBJECT_UEVENT: "ACTION@DEVPATH" then
// NUL-separated KEY=VALUE pairs (lib/kobject_uevent.c). Pure: parses bytes.
using System.Text;

namespace Preinit.Core.Devices;

public sealed record Uevent(string Action, string DevPath, IReadOnlyDictionary<string, string> Values)
{
    private const int MaxMessage = 8192;

    public string? Subsystem => Values.GetValueOrDefault("SUBSYSTEM");
    public string? DevName => Values.GetValueOrDefault("DEVNAME");
    public string? Modalias => Values.GetValueOrDefault("MODALIAS");

    /// <summary>Null for anything that is not a kernel uevent (udev's "libudev" messages, garbage).</summary>
    public static Uevent? TryParse(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessage) message = message[..MaxMessage];
        var text = Encoding.UTF8.GetString(message);
        var parts = text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return null;
        var at = parts[0].IndexOf('@');
        if (at <= 0 || parts[0].StartsWith("libudev", StringComparison.Ordinal)) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=');
            if (eq > 0) values[part[..eq]] = part[(eq + 1)..];
        }
        return new Uevent(values.GetValueOrDefault("ACTION", parts[0][..at]), values.GetValueOrDefault("DEVPATH", parts[0][(at + 1)..]),
            values);
    }
}
