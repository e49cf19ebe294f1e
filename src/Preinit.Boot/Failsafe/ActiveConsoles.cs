// Every console the kernel writes to (console= on the command line, possibly several: a screen and a
// serial line), from /sys/class/tty/console/active; failsafe talks to each of them.
namespace Preinit.Boot.Failsafe;

public static class ActiveConsoles
{
    /// <summary>Device paths such as /dev/ttyS0, /dev/tty0; /dev/console when the list is missing or empty.</summary>
    public static IReadOnlyList<string> Devices(string activeFile = "/sys/class/tty/console/active", string devDirectory = "/dev")
    {
        var names = File.Exists(activeFile) ? File.ReadAllText(activeFile).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            : [];
        var devices = names.Select(n => Path.Combine(devDirectory, n)).Where(File.Exists).Distinct().ToList();
        return devices.Count > 0 ? devices : ["/dev/console"];
    }
}
