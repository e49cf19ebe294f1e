// Which filesystems `preinit mount` mounts once the system runs (OpenWrt's `block mount`): every
// enabled `config mount` section of /etc/config/fstab other than the root's, found by uuid, label
// or device name (block.c find_block_info), on its target (default /mnt/NAME, as block.c); and with
// `anon_mount 1` in `config global` every other filesystem on /mnt/NAME. Each section that cannot
// take effect says why.
using Preinit.Core.Devices;

namespace Preinit.Core.Fstab;

/// <param name="Check">fsck before mounting (`enabled_fsck 1`, or `check_fs 1` in `config global`).</param>
public sealed record MountAction(string DevicePath, string Target, string Type, string? Options, bool Check, string Why);

public sealed record MountPlanResult(IReadOnlyList<MountAction> Mount, IReadOnlyList<string> Notes);

public static class MountPlan
{
    /// <summary>Filesystems a mount section cannot name: they are not mounted (swap has its own sections).</summary>
    private static readonly HashSet<string> NotMountable = ["swap", "crypto_LUKS", "jbd"];

    /// <param name="mountedDevices">Device paths mounted now (/proc/mounts).</param>
    /// <param name="isMountPoint">Whether a target already has something mounted on it.</param>
    public static MountPlanResult For(FstabConfig config, IReadOnlyList<ProbedDevice> devices, IReadOnlySet<string> mountedDevices,
        Func<string, bool> isMountPoint, Func<ProbedDevice, string?> excluded)
    {
        var mount = new List<MountAction>();
        var notes = new List<string>();
        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in config.OtherMounts())
        {
            var choice = DeviceChoice.FirstFound(section.Specs, devices, excluded);
            if (choice?.Chosen is not { } device)
            {
                notes.Add($"{section.SpecText} ({section.Section}): no such device now; not mounted");
                continue;
            }
            if (choice.Warning is { } warning) notes.Add($"{section.SpecText}: {warning}");
            var path = device.Device.DevicePath;
            configured.Add(path);
            if (section.Autofs)
            {
                // block.c mount_device, TYPE_DEV: such a section is OpenWrt's autofs daemon's to mount on first access.
                notes.Add($"{section.SpecText} ({section.Section}) is {path}: autofs 1 leaves it to OpenWrt's autofs (block autofs), " +
                    "which preinit does not run; not mounted");
                continue;
            }
            var target = section.Target is { Length: > 0 } t ? t : DefaultTarget(device);
            if (Skip(device, target, mountedDevices, isMountPoint) is { } why)
                notes.Add($"{section.SpecText} ({section.Section}) is {path}: {why}");
            else
                mount.Add(new MountAction(path, target, device.Type!, section.Options, section.EnabledFsck || config.Global.CheckFs,
                    $"{section.Section}: {section.SpecText}"));
        }
        if (config.Global.AnonMount)
            foreach (var device in devices)
            {
                var path = device.Device.DevicePath;
                if (configured.Contains(path) || excluded(device) is not null || device.Device.IsLoop) continue;
                if (device.Type is null || NotMountable.Contains(device.Type) || mountedDevices.Contains(path)) continue;
                var target = DefaultTarget(device);
                if (!isMountPoint(target))
                    mount.Add(new MountAction(path, target, device.Type, null, config.Global.CheckFs, "anon_mount 1"));
            }
        return new MountPlanResult(mount, notes);
    }

    internal static string DefaultTarget(ProbedDevice device) => "/mnt/" + device.Device.Name;

    /// <summary>Why a device cannot be mounted on <paramref name="target"/> now, or null.</summary>
    internal static string? Skip(ProbedDevice device, string target, IReadOnlySet<string> mountedDevices, Func<string, bool> isMountPoint)
    {
        if (device.Type is null)
            return device.DamagedExt is { } damaged
                ? $"its superblock is damaged (repair: {damaged.RepairCommand(device.Device.DevicePath)}); not mounted"
                : "it holds no known filesystem; not mounted";
        if (NotMountable.Contains(device.Type)) return $"it holds {device.Type}, which is not mounted; not mounted";
        if (mountedDevices.Contains(device.Device.DevicePath)) return "already mounted";
        if (isMountPoint(target)) return $"something else is already mounted on {target}; not mounted";
        return null;
    }
}
