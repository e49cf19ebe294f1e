// init_hotplug: the drivers for the hardware present (each device's modalias against modules.alias),
// so the network interface for preinit messages and the disks exist before anything looks for them.
using Preinit.Boot.Devices;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

public sealed record HotplugStep(BootDrivers Drivers) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        var loaded = Drivers.Coldplug.LoadForPresentDevices();
        context.Note(loaded.Count == 0 ? "no drivers to load for the hardware present" : $"drivers loaded: {string.Join(" ", loaded)}");
        return StepOutcome.Continue;
    }

    public override string ToString() => "load the drivers for the hardware present (modalias coldplug)";
}
