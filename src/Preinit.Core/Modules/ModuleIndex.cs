// The kernel module database as depmod writes it (modules.dep, modules.softdep, modules.alias,
// modules.builtin; see depmod(8), modules.dep(5)), or as depmod would make it from the modules'
// own .modinfo (where no modules.dep was made, as on OpenWrt), and the load order for a module by
// name: dependencies first, soft "pre:" dependencies before that, each module once, built-ins skipped.
namespace Preinit.Core.Modules;

/// <summary>One module to load: its name and its path relative to /lib/modules/VERSION. Optional: a soft dependency.</summary>
public sealed record ModuleLoad(string Name, string RelativePath, bool Optional);

public sealed class ModuleIndex
{
    private readonly Dictionary<string, string> _paths = new();
    private readonly Dictionary<string, string[]> _deps = new();
    private readonly Dictionary<string, string[]> _softPre = new();
    private readonly Dictionary<string, List<string>> _aliases = new();
    private readonly HashSet<string> _builtin = [];
    private readonly List<(string Pattern, string Module)> _wildcardAliases = [];

    public static string NameOf(string path)
    {
        var file = path[(path.LastIndexOf('/') + 1)..];
        var ko = file.IndexOf(".ko", StringComparison.Ordinal);
        return Normalize(ko >= 0 ? file[..ko] : file);
    }

    /// <summary>Module names treat '-' and '_' alike; the kernel reports them with '_'.</summary>
    public static string Normalize(string name) => name.Replace('-', '_');

    public static ModuleIndex Parse(string modulesDep, string? softdep = null, string? alias = null, string? builtin = null)
    {
        var index = new ModuleIndex();
        foreach (var line in Lines(modulesDep))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var path = line[..colon].Trim();
            var name = NameOf(path);
            index._paths[name] = path;
            index._deps[name] = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(NameOf).ToArray();
        }
        foreach (var line in Lines(softdep))
        {
            // softdep MODULE pre: A B post: C
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 3 || words[0] != "softdep") continue;
            // Only a module's first softdep line counts, as in modprobe (libkmod: "find only the first command, as
            // modprobe from module-init-tools does"); depmod writes one line per softdep= of the module.
            index._softPre.TryAdd(Normalize(words[1]), [.. ModuleInfo.PreWords(string.Join(' ', words, 2, words.Length - 2))]);
        }
        foreach (var line in Lines(alias))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 3 && words[0] == "alias") index.AddAlias(words[1], Normalize(words[2]));
        }
        index.AddBuiltin(builtin);
        return index;
    }

    /// <summary>The index depmod would write for these modules (what kmodloader reads on OpenWrt, which ships no modules.dep).</summary>
    public static ModuleIndex FromModules(IEnumerable<ModuleInfo> modules, string? builtin = null)
    {
        var index = new ModuleIndex();
        foreach (var module in modules)
        {
            index._paths[module.Name] = module.RelativePath;
            index._deps[module.Name] = [.. module.Depends];
            if (module.SoftPre.Count > 0) index._softPre[module.Name] = [.. module.SoftPre];
            foreach (var alias in module.Aliases) index.AddAlias(alias, module.Name);
        }
        index.AddBuiltin(builtin);
        return index;
    }

    public int Count => _paths.Count;

    /// <summary>Whether the module file at <paramref name="relativePath"/>
    /// (under /lib/modules/VERSION) is the one listed for its name.</summary>
    public bool Lists(string relativePath) => _paths.TryGetValue(NameOf(relativePath), out var listed) && listed == relativePath;

    private void AddAlias(string alias, string module)
    {
        if (alias.IndexOfAny(['*', '?', '[']) >= 0)
        {
            _wildcardAliases.Add((alias, module));
            return;
        }
        var key = Normalize(alias);
        if (!_aliases.TryGetValue(key, out var targets)) _aliases[key] = targets = [];
        targets.Add(module);
    }

    private void AddBuiltin(string? builtin)
    {
        foreach (var line in Lines(builtin))
            _builtin.Add(NameOf(line));
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#');

    /// <summary>Modules whose alias patterns match a device's modalias (coldplug), each once, in file order.</summary>
    public IReadOnlyList<string> ModulesFor(string modalias)
    {
        var result = new List<string>();
        foreach (var (pattern, module) in _wildcardAliases)
            if (!result.Contains(module) && AliasPattern.IsMatch(pattern, modalias)) result.Add(module);
        if (_aliases.TryGetValue(Normalize(modalias), out var exact))
            result.AddRange(exact.Where(m => !result.Contains(m)));
        return result;
    }

    public bool IsBuiltin(string name) => _builtin.Contains(Normalize(name));

    /// <summary>The modules to load, in order, for <paramref name="name"/> (a module name or an exact alias).</summary>
    /// <exception cref="KeyNotFoundException">No such module or alias, and not built in.</exception>
    public IReadOnlyList<ModuleLoad> Resolve(string name)
    {
        var order = new List<ModuleLoad>();
        Visit(Normalize(name), optional: false, order, new Dictionary<string, bool>());
        return order;
    }

    /// <param name="seen">Each module visited, and whether only optionally (as a soft dependency) so far.</param>
    private void Visit(string name, bool optional, List<ModuleLoad> order, Dictionary<string, bool> seen)
    {
        if (seen.TryGetValue(name, out var wasOptional))
        {
            // Reached again as required (a soft dependency of one module, a hard one of another): required it is,
            // with everything it needs; its place in the order, before its dependents, stays.
            if (!wasOptional || optional) return;
            seen[name] = false;
            var at = order.FindIndex(m => m.Name == name);
            if (at >= 0) order[at] = order[at] with { Optional = false };
            foreach (var dep in _deps.GetValueOrDefault(name, []))
                Visit(dep, optional: false, order, seen);
            return;
        }
        seen[name] = optional;
        if (_builtin.Contains(name)) return;
        if (!_paths.ContainsKey(name))
        {
            var targets = _aliases.GetValueOrDefault(name, []).Where(t => _paths.ContainsKey(t) || _builtin.Contains(t)).ToList();
            // A required alias needs one provider; an optional one (a soft dependency such as crc32c)
            // lists every provider, since some cannot load on this CPU (crc32c_intel without SSE4.2).
            foreach (var target in optional ? targets : targets.Take(1))
                Visit(target, optional, order, seen);
            if (targets.Count > 0) return;
            if (optional) return;
            throw new KeyNotFoundException($"module '{name}' is not in modules.dep and not built in");
        }
        foreach (var pre in _softPre.GetValueOrDefault(name, []))
            Visit(pre, optional: true, order, seen);
        foreach (var dep in _deps[name])
            Visit(dep, optional, order, seen);
        order.Add(new ModuleLoad(name, _paths[name], optional));
    }
}
