// init_hotplug: the modules /etc/modules-boot.d names (OpenWrt's), then the drivers for the hardware
// present (each device's modalias against modules.alias), so the network interface for preinit
// messages and the disks exist before anything looks for them.
using Preinit.Boot.Devices;
using Preinit.Boot.Kernel;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

public sealed record HotplugStep(BootDrivers Drivers) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        try { BootModules.Load(Drivers.Loader, context.Note); }
        catch (FileNotFoundException e) { context.Note($"{BootModules.DefaultDirectory}: nothing loaded: {e.Message}"); }
        var loaded = Drivers.Coldplug.LoadForPresentDevices();
        context.Note(loaded.Count == 0 ? "no drivers to load for the hardware present" : $"drivers loaded: {string.Join(" ", loaded)}");
        return StepOutcome.Continue;
    }

    public override string ToString() =>
        $"load the modules {BootModules.DefaultDirectory} names, then the drivers for the hardware present (modalias coldplug)";
}
