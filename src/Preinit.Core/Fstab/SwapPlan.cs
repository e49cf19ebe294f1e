// Which devices to swap on at boot, from the `config swap` sections of /etc/config/fstab (block.c
// swap_add: found by uuid, label or device name) and, with `anon_swap 1` in `config global`, every
// other device that carries a swap signature. Each section that cannot take effect says why.
using Preinit.Core.Devices;

namespace Preinit.Core.Fstab;

/// <param name="Priority">The configured priority (swapon's SWAP_FLAG_PREFER with it), or null for the kernel's default: as
/// block.c swap_add, 0 means no priority, and a negative one keeps only its low 15 bits (-1 becomes 32767).</param>
public sealed record SwapActivation(string DevicePath, int? Priority, string Why);

public sealed record SwapPlanResult(IReadOnlyList<SwapActivation> Activate, IReadOnlyList<string> Notes);

public static class SwapPlan
{
    /// <param name="active">Device paths already swapped on (/proc/swaps).</param>
    public static SwapPlanResult For(FstabConfig config, IReadOnlyList<ProbedDevice> devices, IReadOnlySet<string> active,
        Func<ProbedDevice, string?> excluded)
    {
        var activate = new List<SwapActivation>();
        var notes = new List<string>();
        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var swap in config.Swaps.Where(s => s.Enabled))
        {
            if (swap.File is not null && swap.Uuid is null && swap.Label is null) continue; // a swap file: see Files
            var choice = DeviceChoice.FirstFound(swap.Specs, devices, excluded);
            if (choice?.Chosen is not { } device)
            {
                notes.Add($"swap {swap.SpecText} ({swap.Section}): no such device now; not enabled");
                continue;
            }
            if (choice.Warning is { } warning) notes.Add($"swap {swap.SpecText}: {warning}");
            var path = device.Device.DevicePath;
            configured.Add(path);
            if (device.Type != "swap")
                notes.Add($"swap {swap.SpecText} ({swap.Section}) is {path}, " +
                    $"which holds {device.Type ?? "no known signature"}, not swap: not enabled. Make it swap space (this erases it): " +
                    $"mkswap{(swap.Label is { } l ? $" -L {l}" : "")} {path}");
            else if (active.Contains(path)) notes.Add($"swap {path} is already in use");
            else activate.Add(new SwapActivation(path, swap.Priority is not (null or 0) ? swap.Priority : null,
                $"{swap.Section}: {swap.SpecText}"));
        }
        if (config.Global.AnonSwap)
            foreach (var device in devices.Where(d => d.Type == "swap" && !configured.Contains(d.Device.DevicePath)))
            {
                var path = device.Device.DevicePath;
                if (excluded(device) is { } why) notes.Add($"swap {path} ignored: {why}");
                else if (!active.Contains(path))
                    activate.Add(new SwapActivation(path, null, "anon_swap 1: a swap device not named in fstab"));
            }
        return new SwapPlanResult(activate, notes);
    }

    /// <summary>The swap files the fstab names (block.c handle_swapfiles, after the mounts, which may hold them).</summary>
    /// <param name="fileType">What a path holds: null when it is no regular file (missing, or a directory), "" when no
    /// known signature, else the probed type.</param>
    public static SwapPlanResult Files(FstabConfig config, Func<string, string?> fileType, IReadOnlySet<string> active)
    {
        var activate = new List<SwapActivation>();
        var notes = new List<string>();
        foreach (var swap in config.Swaps)
        {
            if (!swap.Enabled || swap.File is not { } path) continue;
            var type = fileType(path);
            if (type is null) notes.Add($"swap file {path} ({swap.Section}): no such file now (is what holds it mounted?); not enabled");
            else if (type != "swap")
                notes.Add($"swap file {path} ({swap.Section}) holds {(type.Length == 0 ? "no swap signature" : type)}: not enabled. " +
                    $"Make it swap space: mkswap {path}");
            else if (active.Contains(path)) notes.Add($"swap {path} is already in use");
            else activate.Add(new SwapActivation(path, swap.Priority is not (null or 0) ? swap.Priority : null,
                $"{swap.Section}: swap file"));
        }
        return new SwapPlanResult(activate, notes);
    }
}
