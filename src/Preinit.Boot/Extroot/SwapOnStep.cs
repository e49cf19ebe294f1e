// do_swapon: the swap space /etc/config/fstab names (and, with anon_swap, any other), switched on
// with swapon(2) once the stick's wait has let the USB devices appear; swap files (a `device` outside
// /dev, such as /overlay/swapfile) once the stick that holds them is mounted.
using Preinit.Boot.Devices;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public sealed record SwapOnStep(BootFstab Fstab) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        var config = Fstab.Read(w => context.Note($"warning: {w}"));
        if (config is null || (config.Swaps.Count == 0 && !config.Global.AnonSwap)) return StepOutcome.Continue;
        SwitchOn(config, DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate()), context.Note);
        return StepOutcome.Continue;
    }

    /// <summary>The swap the fstab names: devices, then files (block.c: after the mounts that may hold them); a line each.</summary>
    public static void SwitchOn(FstabConfig config, IReadOnlyList<ProbedDevice> devices, Action<string> note)
    {
        var active = ActiveSwaps();
        var plan = SwapPlan.For(config, devices, active, DeviceExclusion.SwapReason);
        var files = SwapPlan.Files(config, FileType, active);
        foreach (var line in plan.Notes.Concat(files.Notes)) note(line);
        foreach (var swap in plan.Activate.Concat(files.Activate)) Activate(swap, note);
    }

    /// <summary>What a swap file holds: null when the path is no regular file, "" when nothing known.</summary>
    private static string? FileType(string path) =>
        Libc.TryStat(path, out var found) && found.FileType == Libc.S_IFREG ? DeviceProber.ProbePath(path).Type ?? "" : null;

    /// <summary>swapon(2) for one planned device; the outcome is one line.</summary>
    public static bool Activate(SwapActivation swap, Action<string> note)
    {
        try
        {
            Libc.Swapon(swap.DevicePath, Flags(swap.Priority));
            note($"swap on {swap.DevicePath}{(swap.Priority is { } p ? $", priority {Flags(p) & Libc.SWAP_FLAG_PRIO_MASK}" : "")} " +
                $"({swap.Why})");
            return true;
        }
        catch (SystemCallException e)
        {
            note($"swap {swap.DevicePath} ({swap.Why}) not enabled: {e.Message}");
            return false;
        }
    }

    /// <summary>block.c: a priority is passed as SWAP_FLAG_PREFER with the priority in the low bits.</summary>
    public static int Flags(int? priority) =>
        priority is { } p ? Libc.SWAP_FLAG_PREFER | (p & Libc.SWAP_FLAG_PRIO_MASK) : 0;

    /// <summary>The first column of /proc/swaps after its header.</summary>
    public static IReadOnlySet<string> ActiveSwaps(string procSwaps = "/proc/swaps") =>
        File.Exists(procSwaps)
            ? File.ReadLines(procSwaps).Skip(1).Select(l => l.Split(' ', '\t')[0]).Where(p => p.Length > 0)
                .ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    public override string ToString() => $"swap on what {Fstab.Path} names (config swap, anon_swap)";
}
