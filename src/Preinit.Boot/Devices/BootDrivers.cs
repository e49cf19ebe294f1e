// The drivers of one boot: one module index (modules.dep, modules.alias) and one record of what was
// tried, shared by init_hotplug and the wait for the stick, so the stick's wait neither parses the
// index again nor tries the modules init_hotplug already tried. Made on first use.
using Preinit.Boot.Kernel;
using Serilog;

namespace Preinit.Boot.Devices;

public sealed class BootDrivers(ILogger log)
{
    private ModuleLoader? _loader;
    private Coldplug? _coldplug;

    public ModuleLoader Loader => _loader ??= new ModuleLoader(ModuleLoader.DefaultDirectory(), Note);

    public Coldplug Coldplug => _coldplug ??= new Coldplug(Loader, Note);

    private void Note(string message) => log.Information("{Note}", message);
}
