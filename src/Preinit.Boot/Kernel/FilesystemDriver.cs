// A filesystem's kernel driver, loaded by the alias the kernel itself would ask for (fs-vfat,
// fs-ext4...) when /proc/filesystems does not list the type yet.
namespace Preinit.Boot.Kernel;

public static class FilesystemDriver
{
    public static void Ensure(ModuleLoader loader, string? type, Action<string> note)
    {
        if (type is null || File.ReadAllText("/proc/filesystems").Split('\n').Any(l => l.EndsWith("\t" + type))) return;
        try { loader.Load("fs-" + type); }
        catch (Exception e) when (e is IOException or KeyNotFoundException) { note($"fs-{type}: {e.Message}"); }
    }
}
