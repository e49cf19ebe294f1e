// The modules under /lib/modules/VERSION described by their own .modinfo sections, for a module
// directory without modules.dep (OpenWrt ships its modules flat and without one; its kmodloader
// reads each module the same way) or with a stale one, in the kernel's build order. Only
// uncompressed .ko files: compressed ones need depmod.
using Preinit.Core.Elf;
using Preinit.Core.Modules;

namespace Preinit.Boot.Kernel;

public static class ModinfoScan
{
    /// <param name="problems">Each module that could not be read, in words.</param>
    public static List<ModuleInfo> Read(string modulesDirectory, List<string> problems)
    {
        var modules = new List<ModuleInfo>();
        if (!Directory.Exists(modulesDirectory)) return modules;
        foreach (var relative in InOrder(modulesDirectory))
        {
            var file = Path.Combine(modulesDirectory, relative);
            try
            {
                if (ElfSections.Find(File.ReadAllBytes(file), ".modinfo") is { } modinfo) modules.Add(ModuleInfo.Parse(relative, modinfo));
                else problems.Add($"{relative}: no .modinfo section (not a kernel module?)");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                problems.Add($"{relative}: {e.Message}");
            }
        }
        return modules;
    }

    /// <summary>A module file that <paramref name="index"/> (depmod's, read from modules.dep) does not list, or null: a
    /// modules.dep made before modules were added or replaced is stale, and the modules' own .modinfo is read instead.</summary>
    public static string? FirstUnlisted(string modulesDirectory, ModuleIndex index)
    {
        foreach (var file in Directory.EnumerateFiles(modulesDirectory, "*.ko", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(modulesDirectory, file);
            if (!index.Lists(relative)) return relative;
        }
        return null;
    }

    /// <summary>The modules' paths in the kernel's build order (modules.order, when the kernel's install left it), the rest
    /// by name: depmod lists several providers of one alias in that order, and a required alias takes the first.</summary>
    private static List<string> InOrder(string modulesDirectory)
    {
        var paths = new List<string>();
        foreach (var file in Directory.EnumerateFiles(modulesDirectory, "*.ko", SearchOption.AllDirectories))
            paths.Add(Path.GetRelativePath(modulesDirectory, file));
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = Path.Combine(modulesDirectory, "modules.order");
        if (File.Exists(order))
            foreach (var line in File.ReadLines(order))
                rank.TryAdd(line.Trim(), rank.Count);
        paths.Sort((a, b) =>
        {
            var byRank = rank.GetValueOrDefault(a, int.MaxValue).CompareTo(rank.GetValueOrDefault(b, int.MaxValue));
            return byRank != 0 ? byRank : string.CompareOrdinal(a, b);
        });
        return paths;
    }
}
