// Loads kernel modules by name with their dependencies, like modprobe: the order comes from
// modules.dep/softdep (ModuleIndex), each .ko goes to finit_module(2). Already loaded (EEXIST or
// /sys/module/NAME present) and built-in modules count as done.
using Preinit.Core.Modules;
using Preinit.Interop;

namespace Preinit.Boot.Kernel;

public sealed class ModuleLoader(string modulesDirectory, Action<string> log)
{
    private ModuleIndex? _index;

    public static string DefaultDirectory()
    {
        var release = File.Exists("/proc/sys/kernel/osrelease")
            ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim()
            : Environment.OSVersion.Version.ToString();
        return $"/lib/modules/{release}";
    }

    public ModuleIndex Index => _index ??= LoadIndex();

    /// <summary>Why no module can be loaded (no modules.dep and no modules), or null when the index is there.</summary>
    public string? Unavailable()
    {
        try { return Index is null ? "no module index" : null; }
        catch (FileNotFoundException e) { return e.Message; }
    }

    private ModuleIndex LoadIndex()
    {
        string? Read(string name)
        {
            var path = Path.Combine(modulesDirectory, name);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        if (Read("modules.dep") is { } dep)
        {
            var index = ModuleIndex.Parse(dep, Read("modules.softdep"), Read("modules.alias"), Read("modules.builtin"));
            if (ModinfoScan.FirstUnlisted(modulesDirectory, index) is not { } unlisted) return index;
            log($"{modulesDirectory}/modules.dep is stale: it does not list {unlisted}");
        }

        // As OpenWrt's kmodloader: the modules say themselves what they need and what they drive.
        var problems = new List<string>();
        var modules = ModinfoScan.Read(modulesDirectory, problems);
        foreach (var problem in problems) log($"warning: {problem}");
        if (modules.Count == 0)
            throw new FileNotFoundException($"{modulesDirectory} has neither modules.dep nor kernel modules: run depmod " +
                "(for an image being built: depmod -b ROOT VERSION), or put the kernel's modules there");
        log($"{modulesDirectory}: dependencies and aliases read from the .modinfo of its {modules.Count} modules");
        return ModuleIndex.FromModules(modules, Read("modules.builtin"));
    }

    /// <summary>Loads <paramref name="name"/> and what it needs; returns the modules actually inserted. A path to a
    /// .ko file is inserted as it is, like insmod (its dependencies must be loaded already).</summary>
    /// <param name="parameters">For the module named (loaded last), as modprobe passes them: "debug=1 quirks=0x2".</param>
    public IReadOnlyList<string> Load(string name, string parameters = "")
    {
        if (name.EndsWith(".ko", StringComparison.Ordinal) && name.Contains('/'))
        {
            if (!File.Exists(name)) throw new FileNotFoundException($"{name}: no such module file");
            Insert(name, parameters);
            return [Path.GetFileNameWithoutExtension(name)];
        }
        if (IsLoaded(ModuleIndex.Normalize(name))) return [];
        var inserted = new List<string>();
        var order = Index.Resolve(name);
        foreach (var module in order)
        {
            if (IsLoaded(module.Name)) continue;
            var path = Path.Combine(modulesDirectory, module.RelativePath);
            try
            {
                Insert(path, module == order[^1] ? parameters : "");
                inserted.Add(module.Name);
            }
            catch (Exception e) when (module.Optional && e is IOException or UnauthorizedAccessException)
            {
                log($"soft dependency {module.Name} not loaded: {e.Message}");
            }
        }
        return inserted;
    }

    /// <summary>A loaded (not built-in) module has /sys/module/NAME/initstate.</summary>
    private static bool IsLoaded(string name) => File.Exists($"/sys/module/{name}/initstate");

    private bool? _secureBoot;

    private void Insert(string path, string parameters)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        try
        {
            var errno = Libc.FinitModule(fd, parameters);
            if (errno != 0 && errno != Errno.EEXIST)
                throw new ModuleLoadException(path, ModuleLoadFailure.Reason(errno, _secureBoot ??= Firmware.SecureBootOn()), errno);
        }
        finally { Libc.Close(fd); }
    }
}
