// `preinit mount [--fstab FILE] [--wait SECONDS] [--dry-run]`: OpenWrt's `block mount` for the
// Live CD: mounts the filesystems /etc/config/fstab names besides the root's (and, with anon_mount
// 1, every other one on /mnt/NAME), each checked first when its section asks. With --wait it first
// loads the drivers of the hardware present and waits for the devices the sections name, as
// hotplug would bring them. The Live CD's rcS runs it in the background with a wait.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Kernel;
using Preinit.Boot.Platform;
using Preinit.Core.Devices;
using Preinit.Core.Fstab;

namespace Preinit.Cli.Verbs;

public sealed class MountVerb : Verb
{
    public Option<string> Fstab { get; } = ConfigOptions.Fstab();
    public Option<int> Wait { get; } = new("--wait")
    {
        Description = "load drivers and wait up to this many seconds for the devices the sections name",
        DefaultValueFactory = _ => 0,
    };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "only say what would be mounted" };

    public MountVerb() : base("mount", "mount the filesystems fstab names besides the root's (OpenWrt's block mount)")
    {
        Add(Fstab);
        Add(Wait);
        Add(DryRun);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (InputPath.File(result.GetValue(Fstab)!, "fstab") is { } problem)
            return Fail(error, $"{problem}: nothing can be mounted without it (give the UCI fstab with --fstab)");
        var config = FstabFile.Read(result.GetValue(Fstab)!, w => error.WriteLine($"Warning: {w}"));
        if (config is null || (!config.Global.AnonMount && !config.Global.AnonSwap && !config.Swaps.Any(s => s.Enabled)
            && !config.OtherMounts().Any()))
            return 0; // nothing to mount or swap on: no probing
        var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), output.WriteLine);
        // Each section's device in turn, within one limit; the plan then says which are missing.
        if (result.GetValue(Wait) is > 0 and var seconds)
            new DeviceWaiter(new Coldplug(loader, output.WriteLine), _ => { }).WaitForEach(config.OtherMounts(),
                TimeSpan.FromSeconds(seconds));
        var devices = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
        var plan = MountPlan.For(config, devices, MountTable.Sources(), MountPoint.Is, DeviceExclusion.Reason);
        if (result.GetValue(DryRun))
        {
            foreach (var note in plan.Notes) output.WriteLine(note);
            foreach (var a in plan.Mount)
                output.WriteLine($"would mount {a.DevicePath} ({a.Type}) on {a.Target}{(a.Options is { } o ? $" with {o}" : "")}" +
                    $"{(a.Check ? ", checked first" : "")} ({a.Why})");
            return 0;
        }
        var failed = new FstabMounter(loader, output.WriteLine).Run(plan);
        // As block mount: the swap it names too, swap files last (the mounts may hold them).
        SwapOnStep.SwitchOn(config, devices, output.WriteLine);
        return failed == 0 ? 0 : 1;
    }
}
