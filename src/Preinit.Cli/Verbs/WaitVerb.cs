// `preinit wait SPEC [--timeout SECONDS]`: waits for the device, loading drivers as hardware
// appears, and returns as soon as it is there (kernel uevents, no polling).
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Devices;
using Preinit.Boot.Kernel;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public sealed class WaitVerb : Verb
{
    public Argument<string> Spec { get; } = DeviceSpecArgument.Create();
    public Option<double?> Timeout { get; } = new("--timeout") { Description = "seconds to wait (default: preinit.wait, 15)" };
    public Option<bool> NoDrivers { get; } = new("--no-drivers") { Description = "do not load drivers for new hardware" };

    public WaitVerb() : base("wait", "wait until the device SPEC names appears, loading the drivers it needs")
    {
        Add(Spec);
        Add(Timeout);
        Add(NoDrivers);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (DeviceSpecArgument.Parse(result, Spec, error) is not { } s) return 2;
        if (result.GetValue(Timeout) is double seconds && (seconds < 0 || seconds > 3600 || double.IsNaN(seconds)))
        {
            error.WriteLine($"Error: --timeout {seconds} is not a number of seconds from 0 to 3600");
            return 2;
        }
        using var host = PreinitHost.Build(HostInputs.FromSystem(booting: false));
        var limit = result.GetValue(Timeout) is double t ? TimeSpan.FromSeconds(t)
            : host.Services.GetRequiredService<PreinitSettings>().WaitTimeout;
        var coldplug = result.GetValue(NoDrivers) ? null
            : new Coldplug(new ModuleLoader(ModuleLoader.DefaultDirectory(), error.WriteLine), error.WriteLine);
        return Report(s, new DeviceWaiter(coldplug, error.WriteLine).Wait(s, limit), showTime: true, output, error);
    }

    /// <summary>The device on stdout (exit 0), or why not on stderr (exit 1); warnings about ambiguity on stderr.</summary>
    public static int Report(DeviceSpec spec, WaitResult result, bool showTime, TextWriter output, TextWriter error)
    {
        if (result.Choice.Warning is { } warning) error.WriteLine($"Warning: {warning}");
        if (result.Device is { } device)
        {
            output.WriteLine(device.Device.DevicePath);
            if (showTime)
                error.WriteLine($"{spec} is {device.Device.DevicePath} ({device.Type}), " +
                    $"found after {result.Elapsed.TotalMilliseconds:0} ms");
            return 0;
        }
        var first = true;
        foreach (var line in DeviceReport.NothingMatches(spec, result.Seen, result.Elapsed, DeviceExclusion.Reason))
        {
            error.WriteLine(first ? $"Error: {line}" : line);
            first = false;
        }
        return 1;
    }
}
