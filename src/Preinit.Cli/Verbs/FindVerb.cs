// `preinit find SPEC`: the device a spec names right now (exit 1 if none), with the reason when
// several match or none does.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public static class FindVerb
{
    public static Command Create()
    {
        var spec = DeviceSpecArgument.Create();
        var command = new Command("find", "print the device SPEC names (exit 1 if there is none)") { spec };
        command.SetAction(result =>
        {
            if (DeviceSpecArgument.Parse(result, spec) is not { } s) return 2;
            var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
            return WaitVerb.Report(s, new WaitResult(DeviceChoice.Choose(s, seen, DeviceExclusion.Reason), TimeSpan.Zero, seen), showTime: false);
        });
        return command;
    }
}
