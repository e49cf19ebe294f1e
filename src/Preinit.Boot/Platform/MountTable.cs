// What is mounted now, from /proc/self/mounts (octal escapes such as \040 for a space decoded).
namespace Preinit.Boot.Platform;

public sealed class MountEntry(string source, string target, string type, string options)
{
    public string Source { get; } = source;
    public string Target { get; } = target;
    public string Type { get; } = type;
    public string Options { get; } = options;
}

public static class MountTable
{
    public const string Path = "/proc/self/mounts";

    public static IReadOnlyList<MountEntry> Read(string path = Path)
    {
        var entries = new List<MountEntry>();
        if (!File.Exists(path)) return entries;
        foreach (var line in File.ReadLines(path))
            if (line.Split(' ') is [var source, var target, var type, var options, ..])
                entries.Add(new MountEntry(Unescape(source), Unescape(target), type, options));
        return entries;
    }

    /// <summary>What / is now: the last mount on it (the one on top), or null.</summary>
    public static MountEntry? Root(string path = Path)
    {
        MountEntry? root = null;
        foreach (var entry in Read(path)) if (entry.Target == "/") root = entry;
        return root;
    }

    /// <summary>The device paths mounted somewhere now.</summary>
    public static IReadOnlySet<string> Sources(string path = Path) =>
        Read(path).Select(e => e.Source).ToHashSet(StringComparer.Ordinal);

    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < field.Length; i++)
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else text.Append(field[i]);
        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
