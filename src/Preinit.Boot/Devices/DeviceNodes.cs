// /dev without devtmpfs: every device the kernel knows gets its node from /sys/dev/{block,char}
// (each entry's uevent names it), and a device that appears later gets its node when its uevent
// arrives. Existing nodes are left alone, so on a devtmpfs (which makes a node before the uevent is
// sent) nothing is done twice.
using Preinit.Core.Devices;
using Preinit.Interop;

namespace Preinit.Boot.Devices;

public static class DeviceNodes
{
    /// <returns>How many nodes were made.</returns>
    public static int Populate(string devDirectory = "/dev", string sysRoot = "/sys")
    {
        var made = 0;
        foreach (var (kind, block) in new[] { ("block", true), ("char", false) })
        {
            var directory = Path.Combine(sysRoot, "dev", kind);
            if (!Directory.Exists(directory)) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
            {
                string text;
                try { text = File.ReadAllText(Path.Combine(entry, "uevent")); }
                catch (IOException) { continue; } // gone while looking
                if (DeviceNode.From(DeviceNode.ParseUeventFile(text), block) is { } node && Make(devDirectory, node)) made++;
            }
        }
        return made;
    }

    /// <summary>The node a uevent announces, when it is an "add" of a device with a number and the node is missing.</summary>
    public static bool MakeFor(Uevent uevent, string devDirectory = "/dev") =>
        uevent.Action == "add" && DeviceNode.From(uevent.Values, uevent.Subsystem == "block") is { } node && Make(devDirectory, node);

    private static bool Make(string devDirectory, DeviceNode node)
    {
        var path = Path.Combine(devDirectory, node.Name);
        if (Libc.TryLstat(path, out _)) return false;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Libc.Mknod(path, (node.Block ? Libc.S_IFBLK : Libc.S_IFCHR) | node.Mode, Libc.MakeDev(node.Major, node.Minor));
            Libc.Chmod(path, node.Mode); // the mode devtmpfs would give, whatever the umask
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}
