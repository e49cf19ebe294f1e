// `preinit modprobe NAME...` and `preinit coldplug`: kernel modules by name (with dependencies),
// and drivers for the hardware present, from modules.alias.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Boot.Kernel;

namespace Preinit.Cli.Verbs;

public static class ModuleVerbs
{
    public static Command Modprobe()
    {
        var names = new Argument<string[]>("NAME") { Description = "module names or aliases, or paths to .ko files (loaded as they are)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("modprobe", "load kernel modules with their dependencies from modules.dep") { names };
        command.SetAction(result =>
        {
            var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), line => Console.Error.WriteLine(line));
            var status = 0;
            foreach (var name in result.GetValue(names)!)
            {
                try
                {
                    var inserted = loader.Load(name);
                    Console.WriteLine(inserted.Count == 0 ? $"{name}: already available" : $"{name}: loaded {string.Join(", ", inserted)}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
                {
                    // The loader's message names the module file; a file given by path is not named twice.
                    Console.Error.WriteLine(e.Message.StartsWith(name + ":", StringComparison.Ordinal) ? $"Error: {e.Message}" : $"Error: {name}: {e.Message}");
                    status = 1;
                }
            }
            return status;
        });
        return command;
    }

    public static Command ColdplugCommand()
    {
        var command = new Command("coldplug", "load the drivers for the hardware present (modalias + modules.alias)");
        command.SetAction(_ =>
        {
            void Log(string line) => Console.WriteLine(line);
            var loader = new ModuleLoader(ModuleLoader.DefaultDirectory(), Log);
            if (loader.Unavailable() is { } why)
            {
                Console.Error.WriteLine($"Error: no drivers can be loaded: {why}");
                return 1;
            }
            var coldplug = new Coldplug(loader, Log);
            var total = 0;
            for (var round = 0; round < 4; round++)
            {
                var inserted = coldplug.LoadForPresentDevices().Count;
                total += inserted;
                if (inserted == 0) break;
            }
            Console.WriteLine($"coldplug: {total} modules loaded");
            return 0;
        });
        return command;
    }
}
