// `preinit find SPEC`: the device a spec names right now (exit 1 if none), with the reason when
// several match or none does.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public sealed class FindVerb : Verb
{
    public Argument<string> Spec { get; } = DeviceSpecArgument.Create();

    public FindVerb() : base("find", "print the device SPEC names (exit 1 if there is none)") => Add(Spec);

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (DeviceSpecArgument.Parse(result, Spec, error) is not { } s) return 2;
        var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
        return WaitVerb.Report(s, new WaitResult(DeviceChoice.Choose(s, seen, DeviceExclusion.Reason), TimeSpan.Zero, seen),
            showTime: false, output, error);
    }
}
