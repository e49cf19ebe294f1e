// Block devices from sysfs (/sys/class/block): disks, partitions, loop devices, CD drives. Reads
// only the small attribute files probing needs; takes the sysfs root so tests can give a fake one.
namespace Preinit.Core.Devices;

public static class SysfsBlockDevices
{
    public static IReadOnlyList<BlockDevice> Enumerate(string sysRoot = "/sys")
    {
        var classDir = Path.Combine(sysRoot, "class/block");
        if (!Directory.Exists(classDir)) return [];
        var result = new List<BlockDevice>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(classDir).Order(StringComparer.Ordinal))
            if (Read(entry) is { } device) result.Add(device);
        return result;
    }

    /// <summary>One device from its sysfs directory; null when it is gone or has no size (an empty loop or drive).</summary>
    public static BlockDevice? Read(string directory)
    {
        var name = Path.GetFileName(directory);
        var dev = Attribute(directory, "dev");
        if (dev is null || !TryParseDev(dev, out var major, out var minor)) return null;
        var sectors = long.TryParse(Attribute(directory, "size"), out var s) ? s : 0;
        if (sectors == 0) return null;
        var partition = int.TryParse(Attribute(directory, "partition"), out var p) ? p : (int?)null;
        string? parent = null;
        if (partition is not null)
        {
            var resolved = Path.GetDirectoryName(ResolvedDirectory(directory));
            parent = resolved is null ? null : Path.GetFileName(resolved);
        }
        var removableDir = parent is null ? directory : Path.Combine(Path.GetDirectoryName(directory)!, parent);
        return new BlockDevice(name, major, minor, sectors * 512,
            Removable: Attribute(removableDir, "removable") == "1",
            ReadOnly: Attribute(directory, "ro") == "1",
            Parent: parent,
            PartitionNumber: partition,
            LoopBackingFile: Attribute(directory, "loop/backing_file"));
    }

    public static bool TryParseDev(string text, out uint major, out uint minor)
    {
        major = minor = 0;
        var colon = text.IndexOf(':');
        return colon > 0 && uint.TryParse(text[..colon], out major) && uint.TryParse(text[(colon + 1)..], out minor);
    }

    private static string ResolvedDirectory(string directory)
    {
        try { return Directory.ResolveLinkTarget(directory, returnFinalTarget: true)?.FullName ?? directory; }
        catch (IOException) { return directory; }
    }

    /// <summary>A sysfs attribute file's text, trimmed; null when it is missing or unreadable.</summary>
    public static string? Attribute(string directory, string name)
    {
        try
        {
            var path = Path.Combine(directory, name);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
