// What `preinit hotplug` does for a block device plugged in or pulled out after boot, as OpenWrt's
// `block hotplug` (fstools block.c mount_device and umount_device, TYPE_HOTPLUG):
//  - swap is switched on only with `auto_swap 1`, and then only when a `config swap` section names
//    it or `anon_swap 1`;
//  - a device an enabled `config mount` section names is mounted only with `auto_mount 1` (on its
//    target, default /mnt/NAME), never when the section is the root's (`target /`, `/overlay`,
//    `is_rootfs 1`): only boot mounts that; an autofs section is left to autofs;
//  - a device no enabled section names is mounted on /mnt/NAME with `anon_mount 1` (auto_mount
//    plays no part there, as in block.c);
//  - on removal whatever was mounted from the device is unmounted and its swap switched off, except
//    what the root stands on: that stays, and the user is told in capitals what its loss means.
// Pure: the caller probes the device and reads the mount table.
using Preinit.Core.Devices;

namespace Preinit.Core.Fstab;

public enum HotplugAction { Nothing, Mount, Swap }

/// <summary>What to do with a device that was plugged in; <see cref="Why"/> is the log line when nothing is done.</summary>
public sealed class HotplugAdd
{
    private HotplugAdd(HotplugAction action, string why, MountAction? mount, SwapActivation? swap)
    {
        Action = action;
        Why = why;
        Mount = mount;
        Swap = swap;
    }

    public HotplugAction Action { get; }
    public string Why { get; }
    public MountAction? Mount { get; }
    public SwapActivation? Swap { get; }

    public static HotplugAdd Nothing(string why) => new(HotplugAction.Nothing, why, null, null);
    public static HotplugAdd MountIt(MountAction mount) => new(HotplugAction.Mount, mount.Why, mount, null);
    public static HotplugAdd SwapOn(SwapActivation swap) => new(HotplugAction.Swap, swap.Why, null, swap);
}

/// <summary>What to do when a device is pulled out: the mount points to unmount (last mounted first), whether to
/// switch its swap off, and the warning when the root stood on it (its mount is left alone then).</summary>
public sealed class HotplugRemove(IReadOnlyList<string> unmount, bool swapoff, string? rootWarning)
{
    public IReadOnlyList<string> Unmount { get; } = unmount;
    public bool Swapoff { get; } = swapoff;
    public string? RootWarning { get; } = rootWarning;
}

public static class HotplugPlan
{
    /// <param name="mountedDevices">Device paths mounted now (/proc/mounts).</param>
    /// <param name="isMountPoint">Whether a target already has something mounted on it.</param>
    /// <param name="activeSwaps">Device paths swapped on now (/proc/swaps).</param>
    /// <param name="excluded">Why a device is never mounted or swapped on (the boot medium, a read-only device for swap).</param>
    public static HotplugAdd ForAdded(FstabConfig config, ProbedDevice device, IReadOnlySet<string> mountedDevices,
        Func<string, bool> isMountPoint, IReadOnlySet<string> activeSwaps, Func<ProbedDevice, string?> excluded)
    {
        var path = device.Device.DevicePath;
        if (excluded(device) is { } never) return HotplugAdd.Nothing($"{path} ignored: {never}");
        if (device.Type == "swap") return Swap(config, device, activeSwaps);

        var section = Naming(config, device);
        if (section is { Extroot: not ExtrootKind.None })
            return HotplugAdd.Nothing($"{path} not mounted: fstab section {section.Section} is the root's " +
                $"({(section.Target is "/" or "/overlay" ? "target " + section.Target : "is_rootfs 1")}); " +
                "only boot mounts it");
        if (section is not null)
        {
            if (section.Autofs) return HotplugAdd.Nothing($"{path} not mounted: fstab section {section.Section} leaves it to autofs");
            if (!config.Global.AutoMount)
                return HotplugAdd.Nothing($"{path} not mounted: fstab section {section.Section} names it, but auto_mount is off in " +
                    "config global (without it only boot mounts it; `preinit mount` mounts it now)");
            var target = section.Target is { Length: > 0 } t ? t : MountPlan.DefaultTarget(device);
            if (MountPlan.Skip(device, target, mountedDevices, isMountPoint) is { } why)
                return HotplugAdd.Nothing($"{path} (fstab section {section.Section}): {why}");
            return HotplugAdd.MountIt(new MountAction(path, target, device.Type!, section.Options, section.EnabledFsck
                || config.Global.CheckFs,
                $"fstab section {section.Section}: {section.SpecText}"));
        }

        var disabled = DisabledNaming(config, device) is { } off ? $" (fstab section {off.Section} names it but is disabled)" : "";
        if (!config.Global.AnonMount)
            return HotplugAdd.Nothing($"{path} not mounted: no enabled fstab section names it{disabled} and anon_mount is off");
        var anonTarget = MountPlan.DefaultTarget(device);
        if (MountPlan.Skip(device, anonTarget, mountedDevices, isMountPoint) is { } reason)
            return HotplugAdd.Nothing($"{path} (anon_mount 1): {reason}");
        return HotplugAdd.MountIt(new MountAction(path, anonTarget, device.Type!, null, config.Global.CheckFs, "anon_mount 1"));
    }

    private static HotplugAdd Swap(FstabConfig config, ProbedDevice device, IReadOnlySet<string> activeSwaps)
    {
        var path = device.Device.DevicePath;
        if (!config.Global.AutoSwap)
            return HotplugAdd.Nothing($"{path} holds swap, not switched on: auto_swap is off in config global " +
                "(without it only boot switches swap on)");
        if (activeSwaps.Contains(path)) return HotplugAdd.Nothing($"swap {path} is already in use");
        if (device.Device.ReadOnly) return HotplugAdd.Nothing($"swap {path} not switched on: the device is read-only");
        foreach (var swap in config.Swaps)
            if (swap.Enabled && Names(swap.Specs, device))
                return HotplugAdd.SwapOn(new SwapActivation(path, swap.Priority is >= 0 ? swap.Priority : null,
                    $"fstab section {swap.Section}: {swap.SpecText}"));
        return config.Global.AnonSwap
            ? HotplugAdd.SwapOn(new SwapActivation(path, null, "anon_swap 1: a swap device not named in fstab"))
            : HotplugAdd.Nothing($"{path} holds swap, not switched on: no enabled config swap section names it and anon_swap is off");
    }

    /// <summary>The first enabled mount section that names the device (block.c find_block: disabled sections are not loaded).</summary>
    public static FstabMount? Naming(FstabConfig config, ProbedDevice device)
    {
        foreach (var section in config.Mounts)
            if (section.Enabled && Names(section.Specs, device)) return section;
        return null;
    }

    private static FstabMount? DisabledNaming(FstabConfig config, ProbedDevice device)
    {
        foreach (var section in config.Mounts)
            if (!section.Enabled && Names(section.Specs, device)) return section;
        return null;
    }

    private static bool Names(IReadOnlyList<DeviceSpec> specs, ProbedDevice device)
    {
        foreach (var spec in specs)
            if (spec.Matches(device)) return true;
        return false;
    }

    /// <param name="devicePath">/dev/NAME of the device that went away.</param>
    /// <param name="mountedOn">Where it is mounted, in mount-table order.</param>
    /// <param name="swapActive">Whether it is swapped on.</param>
    /// <param name="overlayUpper">The root overlay's upper layer (where changes go), or null when / is not an overlay.</param>
    /// <param name="overlayLower">The root overlay's lower layers.</param>
    public static HotplugRemove ForRemoved(string devicePath, IReadOnlyList<string> mountedOn, bool swapActive,
        string? overlayUpper, IReadOnlyList<string> overlayLower)
    {
        var unmount = new List<string>();
        string? warning = null;
        for (var i = mountedOn.Count - 1; i >= 0; i--)
        {
            var target = mountedOn[i];
            if (target == "/") warning ??= RootStickRemoved(devicePath);
            else if (overlayUpper is not null && IsUnder(overlayUpper, target)) warning ??= OverlayStickRemoved(devicePath, overlayUpper);
            else if (FirstUnder(overlayLower, target) is { } saved) warning ??= SavedChangesStickRemoved(devicePath, saved);
            else unmount.Add(target);
        }
        return new HotplugRemove(unmount, swapActive, warning);
    }

    public static string OverlayStickRemoved(string device, string upper) =>
        $"OVERLAY STICK REMOVED: {device} held this system's changes ({upper}). CHANGES FROM NOW ON ARE LOST, and what was saved " +
        "on it can no longer be read. Put the stick back and reboot.";

    public static string RootStickRemoved(string device) =>
        $"ROOT STICK REMOVED: {device} is this system's root (/). CHANGES FROM NOW ON ARE LOST, and programs not yet in memory " +
        "will fail. Put the stick back and reboot.";

    public static string SavedChangesStickRemoved(string device, string lower) =>
        $"STICK REMOVED: {device} held this session's saved changes ({lower}, read-only). FILES FROM IT CAN NO LONGER BE READ " +
        "(new changes were only in RAM anyway). Put the stick back and reboot.";

    /// <summary>The console's hint when a `rootfs_data` stick is plugged into a session whose changes are only in RAM.</summary>
    public static string? PersistHint(ProbedDevice device, bool ramOnly) =>
        ramOnly && device.Label == Stick.DiskContents.DataLabel
            ? $"A stick labelled {Stick.DiskContents.DataLabel} was plugged in ({device.Device.DevicePath}). This session's changes are " +
              "only in RAM; `preinit persist` saves them onto it, so the next boot with the stick has them."
            : null;

    private static string? FirstUnder(IReadOnlyList<string> paths, string mountPoint)
    {
        foreach (var p in paths)
            if (IsUnder(p, mountPoint)) return p;
        return null;
    }

    private static bool IsUnder(string path, string mountPoint) =>
        path == mountPoint || path.StartsWith(mountPoint.EndsWith('/') ? mountPoint : mountPoint + "/", StringComparison.Ordinal);
}
