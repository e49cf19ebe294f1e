// /etc/modules-boot.d, as OpenWrt's kmodloader loads it at early boot (procd's init runs it before
// preinit): the modules its files name, in the files' name order, with their parameters, before the
// drivers of the hardware present. A rootfs made for OpenWrt lists there what its boot needs.
using Preinit.Core.Modules;

namespace Preinit.Boot.Kernel;

public static class BootModules
{
    public const string DefaultDirectory = "/etc/modules-boot.d";

    /// <returns>The modules inserted.</returns>
    public static List<string> Load(ModuleLoader loader, Action<string> log, string directory = DefaultDirectory)
    {
        var inserted = new List<string>();
        if (!Directory.Exists(directory)) return inserted;
        var files = Directory.GetFiles(directory);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            List<(string Name, string Parameters)> modules;
            try { modules = ModuleList.Parse(File.ReadAllText(file)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log($"warning: {file}: {e.Message}");
                continue;
            }
            foreach (var (name, parameters) in modules)
            {
                try { inserted.AddRange(loader.Load(name, parameters)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
                {
                    log($"{file}: {name} not loaded: {e.Message}");
                }
            }
        }
        if (inserted.Count > 0) log($"{directory}: loaded {string.Join(", ", inserted)}");
        return inserted;
    }
}
