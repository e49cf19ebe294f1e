// `preinit hotplug [--fstab FILE] [--no-drivers]`: the resident handler for sticks plugged in or
// removed after boot (OpenWrt's `block hotplug`), in the foreground, one line per action on stdout.
// The Live CD's rcS starts it in the background. SIGTERM ends it with a line saying so.
using System.CommandLine;
using System.Runtime.InteropServices;
using Preinit.Boot.Devices;
using Preinit.Boot.Kernel;
using Preinit.Boot.Platform;

namespace Preinit.Cli.Verbs;

public sealed class HotplugVerb : Verb
{
    public Option<string> Fstab { get; } = ConfigOptions.Fstab();
    public Option<bool> NoDrivers { get; } = new("--no-drivers") { Description = "do not load drivers for new hardware" };

    public HotplugVerb() : base("hotplug", "mount what fstab names when it is plugged in, " +
        "unmount it when it is removed (OpenWrt's block hotplug)")
    {
        Add(Fstab);
        Add(NoDrivers);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        // An fstab that is not there yet may come (it is read again for each device); one that is not a file will not.
        var path = result.GetValue(Fstab)!;
        if (Path.Exists(path) && InputPath.File(path, "fstab") is { } problem)
            return Fail(error, $"{problem} (give the UCI fstab with --fstab)");
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            output.WriteLine($"hotplug: stopped ({context.Signal})");
            Environment.Exit(0);
        });
        var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), output.WriteLine);
        try { new HotplugHandler(path, loader, !result.GetValue(NoDrivers), output.WriteLine).Run(); }
        catch (IOException e)
        {
            return Fail(error, $"hotplug: {e.Message}"); // no uevent socket: nothing to listen to
        }
        return 0;
    }
}
