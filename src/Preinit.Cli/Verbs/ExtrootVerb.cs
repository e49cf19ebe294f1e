// `preinit extroot`: which stick boot would use for the overlay root and why: boot's own extroot plan
// (ExtrootPlan), the device it names now, this system's identity and the one recorded on the stick,
// the swap fstab names, and what / is right now.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Platform;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;
using Preinit.Core.Extroot;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public sealed class ExtrootVerb : Verb
{
    public Option<string> Fstab { get; } = ConfigOptions.Fstab();
    public Option<string?> CommandLine { get; } = ConfigOptions.CommandLine();

    public ExtrootVerb() : base("extroot", "show which stick boot would use for the overlay root, and why")
    {
        Add(Fstab);
        Add(CommandLine);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        using var host = PreinitHost.Build(HostInputs.FromSystem(booting: false, result.GetValue(CommandLine)));
        var settings = host.Services.GetRequiredService<PreinitSettings>();
        var path = result.GetValue(Fstab)!;
        if (settings.Extroot.Source == ExtrootSource.Fstab && InputPath.File(path, "fstab") is { } problem)
            return Fail(error, $"{problem}: boot would find no extroot entry (give the UCI fstab with --fstab)");
        var bootFstab = new BootFstab(path);
        var config = bootFstab.Read(w => error.WriteLine($"Warning: {w}"));
        output.WriteLine($"root now: {RootNow()}");
        output.WriteLine($"this system: {StickIdentity.Current()} (from /etc/os-release or /etc/openwrt_release)");
        // Boot's own plan, from the same file read the same way.
        var plan = new ExtrootPlanner(settings, bootFstab, _ => { }).Plan;
        foreach (var line in plan.Describe()) output.WriteLine(line);
        if (plan.Spec is not { } spec) return settings.Extroot.Source == ExtrootSource.Off ? 0 : 1;
        var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
        var choice = DeviceChoice.Choose(spec, seen, DeviceExclusion.Reason);
        var status = WaitVerb.Report(spec, new WaitResult(choice, TimeSpan.Zero, seen), showTime: false, output, error);
        if (choice.Chosen is { } stick) output.WriteLine($"identity: {Identity(stick.Device.DevicePath)}");
        if (config is not null) ShowSwap(config, seen, output);
        return status;
    }

    /// <summary>The record on the stick, read where it is mounted now (boot reads it before the pivot).</summary>
    private static string Identity(string device)
    {
        var mountPoint = MountTable.Read().FirstOrDefault(m => m.Source == device)?.Target;
        if (mountPoint is null)
            return $"not mounted now; boot reads it from upper/{SystemIdentity.RecordPath} on the stick before it is used";
        var upper = Path.Combine(mountPoint, "upper");
        return StickIdentity.Read(upper) is { } recorded
            ? $"{recorded} ({StickIdentity.RecordFile(upper)})" +
                (recorded.System == StickIdentity.Current().System
                    ? ""
                    : ": ANOTHER SYSTEM, boot will not use it without preinit.extroot.force=1")
            : $"no record in {StickIdentity.RecordFile(upper)} (boot records this system on first use)";
    }

    private static void ShowSwap(FstabConfig config, IReadOnlyList<ProbedDevice> seen, TextWriter output)
    {
        if (config.Swaps.Count == 0 && !config.Global.AnonSwap) return;
        var plan = SwapPlan.For(config, seen, SwapOnStep.ActiveSwaps(), DeviceExclusion.SwapReason);
        foreach (var swap in plan.Activate)
            output.WriteLine($"swap: {swap.DevicePath} would be switched on{(swap.Priority is { } p ? $", priority {p}" : "")} " +
                $"({swap.Why})");
        foreach (var note in plan.Notes) output.WriteLine($"swap: {note}");
    }

    private static string RootNow()
    {
        try
        {
            var type = Libc.FilesystemType("/");
            var overlay = RootOverlay.Current();
            return type == Libc.OVERLAYFS_SUPER_MAGIC
                    ? overlay is { RamOnly: true }
                        ? "overlay of the RAM root with changes in RAM (not saved; preinit persist saves them onto a stick)"
                    : overlay is { ChangesInRam: true }
                        ? "overlay of the stick's saved changes, read-only, with new changes in RAM (not saved)"
                    : "overlay (changes are saved on the stick)"
                : type is Libc.RAMFS_MAGIC or Libc.TMPFS_MAGIC or Libc.EXT2_SUPER_MAGIC
                    ? "in RAM or on disk, not an overlay (changes are not saved on a stick)"
                : $"filesystem 0x{type:x}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return e.Message; }
    }
}
