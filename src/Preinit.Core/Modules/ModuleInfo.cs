// What a kernel module says of itself in its .modinfo section (NUL-separated key=value strings,
// as modinfo(8) prints them): its name, the modules it depends on, the aliases it answers to
// (the modalias patterns of the hardware it drives, fs-ext4 and the like) and its soft
// dependencies. depmod makes modules.dep and modules.alias from exactly these.
namespace Preinit.Core.Modules;

public sealed class ModuleInfo
{
    /// <param name="relativePath">The module's path relative to /lib/modules/VERSION.</param>
    public ModuleInfo(string relativePath, string name, IReadOnlyList<string> depends, IReadOnlyList<string> aliases,
        IReadOnlyList<string> softPre)
    {
        RelativePath = relativePath;
        Name = name;
        Depends = depends;
        Aliases = aliases;
        SoftPre = softPre;
    }

    public string RelativePath { get; }
    public string Name { get; }
    public IReadOnlyList<string> Depends { get; }
    public IReadOnlyList<string> Aliases { get; }
    /// <summary>The first softdep's "pre:" modules: loaded first when they can be, never required.</summary>
    public IReadOnlyList<string> SoftPre { get; }

    /// <param name="modinfo">The .modinfo section's bytes.</param>
    public static ModuleInfo Parse(string relativePath, ReadOnlySpan<byte> modinfo)
    {
        string? name = null;
        var depends = new List<string>();
        var aliases = new List<string>();
        var softPre = new List<string>();
        var hasSoftdep = false;
        foreach (var entry in System.Text.Encoding.UTF8.GetString(modinfo).Split('\0'))
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) continue;
            var value = entry[(eq + 1)..];
            switch (entry[..eq])
            {
                case "name": name = ModuleIndex.Normalize(value); break;
                case "depends":
                    foreach (var d in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        depends.Add(ModuleIndex.Normalize(d));
                    break;
                case "alias": aliases.Add(value); break;
                case "softdep" when !hasSoftdep: // the first only, as modprobe reads modules.softdep (see ModuleIndex)
                    softPre.AddRange(PreWords(value));
                    hasSoftdep = true;
                    break;
            }
        }
        return new ModuleInfo(relativePath, name ?? ModuleIndex.NameOf(relativePath), depends, aliases, softPre);
    }

    /// <summary>The "pre:" words of "pre: a b post: c" (the same syntax as a softdep line of modules.softdep).</summary>
    internal static List<string> PreWords(string text)
    {
        var result = new List<string>();
        var inPre = false;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.EndsWith(':')) inPre = word == "pre:";
            else if (inPre) result.Add(ModuleIndex.Normalize(word));
        }
        return result;
    }
}
