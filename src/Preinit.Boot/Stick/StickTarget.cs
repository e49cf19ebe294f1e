// The device or image file `preinit stick` is asked to write, and what says it must not be: a
// partition instead of a disk, mounted (the running root included), swap, held by another device, or
// not removable. Read from sysfs and /proc only; nothing is opened for writing here.
using Preinit.Boot.Probing;
using Preinit.Core.Devices;
using Preinit.Interop;

namespace Preinit.Boot.Stick;

public sealed class StickException(string message) : Exception(message);

/// <summary>A target: a whole block device, an image file, or a file still to be made. <see cref="InUse"/> lists
/// each reason it is busy, in words; <see cref="Removable"/> is the removable flag or a USB connection.</summary>
public sealed class StickTarget(string path, bool isBlockDevice, bool exists, long sizeBytes, string description,
    bool removable, IReadOnlyList<string> inUse)
{
    public string Path { get; } = path;
    public bool IsBlockDevice { get; } = isBlockDevice;
    public bool Exists { get; } = exists;
    public long SizeBytes { get; } = sizeBytes;
    public string Description { get; } = description;
    public bool Removable { get; } = removable;
    public IReadOnlyList<string> InUse { get; } = inUse;

    public static StickTarget Inspect(string path, string sysRoot = "/sys", string procRoot = "/proc")
    {
        if (!Libc.TryLstat(path, out _)) return new StickTarget(path, false, false, 0, "a new image file", true, []);
        var stat = Libc.Stat(path);
        var kind = stat.stx_mode & Libc.S_IFMT;
        if (kind == Libc.S_IFREG) return InspectFile(path, stat, sysRoot, procRoot);
        if (kind != Libc.S_IFBLK)
            throw new StickException($"{path} is neither a block device nor an image file; give the stick (/dev/sdX) or a file");

        var sysDir = System.IO.Path.Combine(sysRoot, "dev/block", $"{stat.stx_rdev_major}:{stat.stx_rdev_minor}");
        var resolved = Directory.ResolveLinkTarget(sysDir, returnFinalTarget: true)?.FullName ?? sysDir;
        var name = System.IO.Path.GetFileName(resolved);
        if (File.Exists(System.IO.Path.Combine(resolved, "partition")))
        {
            var parent = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(resolved));
            throw new StickException($"{path} is a partition of /dev/{parent}; give the whole stick: preinit stick ... /dev/{parent}");
        }
        long size;
        using (var source = FileBlockSource.Open(path)) size = source.Length;
        var usb = resolved.Contains("/usb", StringComparison.Ordinal);
        var removable = Attribute(resolved, "removable") == "1" || usb;
        var devices = DevicesOf(resolved, name, $"{stat.stx_rdev_major}:{stat.stx_rdev_minor}");
        return new StickTarget(path, true, true, size, Describe(resolved, name, usb, removable), removable,
            BusyReasons(devices, procRoot));
    }

    private static StickTarget InspectFile(string path, statx stat, string sysRoot, string procRoot)
    {
        var full = System.IO.Path.GetFullPath(path);
        var reasons = new List<string>();
        // A loop device over this file whose filesystem (or a partition of it) is mounted.
        foreach (var loop in Directory.EnumerateDirectories(System.IO.Path.Combine(sysRoot, "block"), "loop*"))
        {
            if (Attribute(loop, "loop/backing_file") is not { } backing || backing != full) continue;
            var name = System.IO.Path.GetFileName(loop);
            var devices = DevicesOf(loop, name, Attribute(loop, "dev") ?? "");
            foreach (var reason in BusyReasons(devices, procRoot))
                reasons.Add($"{path} is attached to /dev/{name}, and {reason}");
        }
        return new StickTarget(path, false, true, (long)stat.stx_size, "an image file", true, reasons);
    }

    /// <summary>Why the device or one of its partitions is busy: mounted (the running root named as such), swap, or
    /// held by another device (device-mapper, RAID, LVM).</summary>
    private static List<string> BusyReasons(List<SysfsDevice> devices, string procRoot)
    {
        var reasons = new List<string>();
        var byDev = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in devices) if (d.Dev.Length > 0) byDev[d.Dev] = d.Name;
        var mountinfo = System.IO.Path.Combine(procRoot, "self/mountinfo");
        if (File.Exists(mountinfo))
            foreach (var line in File.ReadLines(mountinfo))
                // mountinfo(5): the third field is major:minor, the fifth the mount point.
                if (line.Split(' ') is [_, _, var dev, _, var at, ..] && byDev.TryGetValue(dev, out var name))
                {
                    var mountPoint = at.Replace("\\040", " ", StringComparison.Ordinal);
                    reasons.Add(mountPoint == "/" ? $"/dev/{name} holds the running root (/)" : $"/dev/{name} is mounted on {mountPoint}");
                }
        foreach (var swap in SwapDevices(Extroot.SwapOnStep.ActiveSwaps(System.IO.Path.Combine(procRoot, "swaps"))))
            if (byDev.TryGetValue(swap, out var name)) reasons.Add($"/dev/{name} is in use as swap");
        foreach (var d in devices)
        {
            var holders = System.IO.Path.Combine(d.SysDir, "holders");
            if (!Directory.Exists(holders)) continue;
            var held = new List<string>();
            foreach (var h in Directory.EnumerateFileSystemEntries(holders)) held.Add(System.IO.Path.GetFileName(h));
            if (held.Count > 0) reasons.Add($"/dev/{d.Name} is held by {string.Join(", ", held)} (device-mapper, RAID or LVM)");
        }
        return reasons;
    }

    private sealed class SysfsDevice(string name, string dev, string sysDir)
    {
        public string Name { get; } = name;
        public string Dev { get; } = dev;
        public string SysDir { get; } = sysDir;
    }

    /// <summary>The disk and its partitions (the subdirectories with a "partition" file), by name.</summary>
    private static List<SysfsDevice> DevicesOf(string sysDir, string name, string dev)
    {
        var parts = new List<SysfsDevice>();
        foreach (var d in Directory.EnumerateDirectories(sysDir))
            if (File.Exists(System.IO.Path.Combine(d, "partition")))
                parts.Add(new SysfsDevice(System.IO.Path.GetFileName(d), Attribute(d, "dev") ?? "", d));
        parts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        parts.Insert(0, new SysfsDevice(name, dev, sysDir));
        return parts;
    }

    /// <summary>major:minor of each active swap that is a device (swap files are not devices and are skipped).</summary>
    private static IEnumerable<string> SwapDevices(IEnumerable<string> swaps)
    {
        foreach (var path in swaps)
        {
            if (Libc.TryLstat(path, out _) && Libc.Stat(path) is var s && (s.stx_mode & Libc.S_IFMT) == Libc.S_IFBLK)
                yield return $"{s.stx_rdev_major}:{s.stx_rdev_minor}";
        }
    }

    private static string Describe(string sysDir, string name, bool usb, bool removable)
    {
        var model = $"{Attribute(sysDir, "device/vendor")} {Attribute(sysDir, "device/model")}".Trim();
        if (model.Length == 0) model = Attribute(sysDir, "loop/backing_file") is { } file ? $"loop device over {file}" : "unknown model";
        var how = usb ? "USB" : name.StartsWith("nvme", StringComparison.Ordinal) ? "NVMe"
            : name.StartsWith("mmcblk", StringComparison.Ordinal) ? "SD/MMC" : null;
        return $"{model}{(how is null ? "" : $", {how}")}, {(removable ? "removable" : "not removable")}";
    }

    private static string? Attribute(string directory, string name) => SysfsBlockDevices.Attribute(directory, name);
}
