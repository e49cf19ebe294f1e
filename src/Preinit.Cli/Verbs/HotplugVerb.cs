// `preinit hotplug [--fstab FILE] [--no-drivers]`: the resident handler for sticks plugged in or
// removed after boot (OpenWrt's `block hotplug`), in the foreground, one line per action on stdout.
// The Live CD's rcS starts it in the background. SIGTERM ends it with a line saying so.
using System.CommandLine;
using System.Runtime.InteropServices;
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Kernel;
using Preinit.Boot.Platform;

namespace Preinit.Cli.Verbs;

public static class HotplugVerb
{
    public static Command Create()
    {
        var fstab = new Option<string>("--fstab") { Description = "the UCI fstab to read", DefaultValueFactory = _ => FstabFile.DefaultPath };
        var noDrivers = new Option<bool>("--no-drivers") { Description = "do not load drivers for new hardware" };
        var command = new Command("hotplug", "mount what fstab names when it is plugged in, unmount it when it is removed (OpenWrt's block hotplug)")
        {
            fstab, noDrivers,
        };
        command.SetAction(result =>
        {
            // An fstab that is not there yet may come (it is read again for each device); one that is not a file will not.
            var path = result.GetValue(fstab)!;
            if (Path.Exists(path) && InputPath.File(path, "fstab") is { } problem)
            {
                Console.Error.WriteLine($"Error: {problem} (give the UCI fstab with --fstab)");
                return 1;
            }
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                Console.WriteLine($"hotplug: stopped ({context.Signal})");
                Environment.Exit(0);
            });
            var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), Console.WriteLine);
            try { new HotplugHandler(result.GetValue(fstab)!, loader, !result.GetValue(noDrivers), Console.WriteLine).Run(); }
            catch (IOException e)
            {
                Console.Error.WriteLine($"Error: hotplug: {e.Message}"); // no uevent socket: nothing to listen to
                return 1;
            }
            return 0;
        });
        return command;
    }
}
