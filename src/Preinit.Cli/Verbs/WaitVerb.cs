// `preinit wait SPEC [--timeout SECONDS]`: waits for the device, loading drivers as hardware
// appears, and returns as soon as it is there (kernel uevents, no polling).
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Devices;
using Preinit.Boot.Kernel;
using Preinit.Core.Configuration;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public static class WaitVerb
{
    public static Command Create()
    {
        var spec = DeviceSpecArgument.Create();
        var timeout = new Option<double?>("--timeout") { Description = "seconds to wait (default: preinit.wait, 15)" };
        var noDrivers = new Option<bool>("--no-drivers") { Description = "do not load drivers for new hardware" };
        var command = new Command("wait", "wait until the device SPEC names appears, loading the drivers it needs") { spec, timeout, noDrivers };
        command.SetAction(result =>
        {
            if (DeviceSpecArgument.Parse(result, spec) is not { } s) return 2;
            if (result.GetValue(timeout) is double seconds && (seconds < 0 || seconds > 3600 || double.IsNaN(seconds)))
            {
                Console.Error.WriteLine($"Error: --timeout {seconds} is not a number of seconds from 0 to 3600");
                return 2;
            }
            using var host = PreinitHost.Build(HostInputs.FromSystem(booting: false));
            var limit = result.GetValue(timeout) is double t ? TimeSpan.FromSeconds(t) : host.Services.GetRequiredService<PreinitSettings>().WaitTimeout;
            void Log(string line) => Console.Error.WriteLine(line);
            var coldplug = result.GetValue(noDrivers) ? null : new Coldplug(new ModuleLoader(ModuleLoader.DefaultDirectory(), Log), Log);
            return Report(s, new DeviceWaiter(coldplug, Log).Wait(s, limit), showTime: true);
        });
        return command;
    }

    /// <summary>The device on stdout (exit 0), or why not on stderr (exit 1); warnings about ambiguity on stderr.</summary>
    public static int Report(DeviceSpec spec, WaitResult result, bool showTime)
    {
        if (result.Choice.Warning is { } warning) Console.Error.WriteLine($"Warning: {warning}");
        if (result.Device is { } device)
        {
            Console.WriteLine(device.Device.DevicePath);
            if (showTime) Console.Error.WriteLine($"{spec} is {device.Device.DevicePath} ({device.Type}), found after {result.Elapsed.TotalMilliseconds:0} ms");
            return 0;
        }
        var first = true;
        foreach (var line in DeviceReport.NothingMatches(spec, result.Seen, result.Elapsed, DeviceExclusion.Reason))
        {
            Console.Error.WriteLine(first ? $"Error: {line}" : line);
            first = false;
        }
        return 1;
    }
}
