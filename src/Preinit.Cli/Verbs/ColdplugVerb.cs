// `preinit coldplug`: the drivers for the hardware present, from each device's modalias and
// modules.alias.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Boot.Kernel;

namespace Preinit.Cli.Verbs;

public sealed class ColdplugVerb() : Verb("coldplug", "load the drivers for the hardware present (modalias + modules.alias)")
{
    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), output.WriteLine);
        if (loader.Unavailable() is { } why) return Fail(error, $"no drivers can be loaded: {why}");
        var coldplug = new Coldplug(loader, output.WriteLine);
        var total = 0;
        for (var round = 0; round < 4; round++)
        {
            var inserted = coldplug.LoadForPresentDevices().Count;
            total += inserted;
            if (inserted == 0) break;
        }
        output.WriteLine($"coldplug: {total} modules loaded");
        return 0;
    }
}
