// mklive's modules: from the kernel's modules directory (MODULES/RELEASE), the ones a Live image
// needs (LiveModules) with everything they depend on, hard and soft, resolved as boot resolves them
// (modules.dep, or each module's .modinfo where there is none, as in OpenWrt). Only those go into
// the initramfs, which stays in RAM. modules.order and modules.builtin* go with them; then depmod,
// when the machine has it, so that the system's own modprobe finds them too (preinit does not need it).
using Preinit.Boot.Kernel;
using Preinit.Boot.Platform;
using Preinit.Core.Live;
using Preinit.Core.Modules;

namespace Preinit.Boot.Live;

public static class LiveModuleCopy
{
    private static readonly string[] KernelLists = ["modules.order", "modules.builtin", "modules.builtin.modinfo"];

    /// <returns>How many module files were copied.</returns>
    /// <exception cref="LiveImageException">The directory is missing, or the kernel can have no loop device, ext4 or overlay.</exception>
    public static int Copy(string modulesRoot, string release, string staging, Action<string> report)
    {
        var source = Path.Combine(modulesRoot, release);
        if (!Directory.Exists(source))
            throw new LiveImageException($"{source} is missing: the kernel is {release}, " +
                $"so its modules must be in {modulesRoot}/{release} (give the directory holding it with --modules)");
        var index = new ModuleLoader(source, report).Index;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in LiveModules.Required)
        {
            try { Add(index.Resolve(name), files); }
            catch (KeyNotFoundException) { throw Lacks(release, name, source); }
        }
        var missing = new List<string>();
        foreach (var name in LiveModules.Wanted)
        {
            try { Add(index.Resolve(name), files); }
            catch (KeyNotFoundException) { missing.Add(name); }
        }
        if (missing.Count > 0) report($"not in this kernel's set, left out: {string.Join(", ", missing)}");

        var target = Path.Combine(staging, "lib", "modules", release);
        foreach (var relative in files) CopyFile(Path.Combine(source, relative), Path.Combine(target, relative));
        foreach (var list in KernelLists)
            if (File.Exists(Path.Combine(source, list))) CopyFile(Path.Combine(source, list), Path.Combine(target, list));
        Depmod(staging, release, report);
        return files.Count;
    }

    /// <summary>A rootfs with its own modules keeps them all (they are its own); they must still give what boot needs.</summary>
    /// <exception cref="LiveImageException">As <see cref="Copy"/>.</exception>
    public static void Check(string modulesRoot, string release, Action<string> report)
    {
        var source = Path.Combine(modulesRoot, release);
        if (!Directory.Exists(source))
            throw new LiveImageException($"the rootfs has no /lib/modules/{release} for its kernel: give the modules with --modules DIR");
        var index = new ModuleLoader(source, report).Index;
        foreach (var name in LiveModules.Required)
        {
            try { index.Resolve(name); }
            catch (KeyNotFoundException) { throw Lacks(release, name, source); }
        }
    }

    private static LiveImageException Lacks(string release, string name, string source) =>
        new($"the kernel {release} has no {name} (neither built in nor in {source}): a Live image needs " +
            $"{string.Join(", ", LiveModules.Required)}; use a kernel that has them");

    private static void Add(IReadOnlyList<ModuleLoad> loads, SortedSet<string> files)
    {
        foreach (var load in loads) files.Add(load.RelativePath);
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private static void Depmod(string staging, string release, Action<string> report)
    {
        if (ChildProcess.Find("depmod") is not { } depmod)
        {
            report("no depmod on this machine: preinit reads the modules' own .modinfo at boot; the rootfs's modprobe will not find them");
            return;
        }
        var result = ChildProcess.Run(depmod, ["-b", staging, release]);
        if (result.ExitCode != 0)
            report($"warning: depmod -b {staging} {release} exited with {result.ExitCode}: {string.Join(" / ", result.Output)}; " +
                "preinit reads the modules' own .modinfo at boot");
    }
}
