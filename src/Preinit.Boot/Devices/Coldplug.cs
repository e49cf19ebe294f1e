// Loads the drivers the hardware needs, from each device's modalias and modules.alias, with their
// dependencies, each module once: first for every device present (coldplug), then for each device
// a uevent announces (the USB stick appears only after the USB host driver loaded).
using Preinit.Boot.Kernel;
using Preinit.Core.Modules;

namespace Preinit.Boot.Devices;

public sealed class Coldplug(ModuleLoader loader, Action<string> log, string sysRoot = "/sys")
{
    private const int MaxDepth = 16;
    private readonly HashSet<string> _tried = [];

    public IReadOnlyCollection<string> Tried => _tried;

    /// <summary>Drivers for every device present; returns the modules inserted. Run again until it inserts
    /// nothing: a driver that loads (a USB host) makes new devices with their own modaliases.</summary>
    public IReadOnlyList<string> LoadForPresentDevices()
    {
        var inserted = new List<string>();
        foreach (var modalias in Modaliases(Path.Combine(sysRoot, "devices"), 0).Distinct())
            inserted.AddRange(LoadFor(modalias));
        return inserted;
    }

    public IReadOnlyList<string> LoadFor(string modalias)
    {
        var inserted = new List<string>();
        if (Index() is not { } index) return inserted;
        foreach (var module in index.ModulesFor(modalias))
        {
            if (!_tried.Add(module)) continue;
            try
            {
                var now = loader.Load(module);
                if (now.Count > 0) log($"{modalias}: loaded {string.Join(", ", now)}");
                inserted.AddRange(now);
            }
            catch (Exception e) when (e is IOException or KeyNotFoundException)
            {
                log($"{modalias}: {module} not loaded: {e.Message}");
            }
        }
        return inserted;
    }

    private bool _noIndex;

    /// <summary>The module index, or null without one (a host or container without modules.dep): then no driver is loaded,
    /// and the log says so once; the devices present may not need one.</summary>
    private ModuleIndex? Index()
    {
        if (_noIndex) return null;
        try { return loader.Index; }
        catch (FileNotFoundException e)
        {
            _noIndex = true;
            log($"no drivers will be loaded: {e.Message}");
            return null;
        }
    }

    private static IEnumerable<string> Modaliases(string directory, int depth)
    {
        if (depth > MaxDepth) yield break;
        var file = Path.Combine(directory, "modalias");
        string? modalias = null;
        try { if (File.Exists(file)) modalias = File.ReadAllText(file).Trim(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        if (!string.IsNullOrEmpty(modalias)) yield return modalias;

        IEnumerable<string> children;
        try
        {
            children = new DirectoryInfo(directory).EnumerateDirectories().Where(d => d.LinkTarget is null).Select(d => d.FullName)
                .ToList();
        }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        foreach (var child in children)
            foreach (var m in Modaliases(child, depth + 1))
                yield return m;
    }
}
