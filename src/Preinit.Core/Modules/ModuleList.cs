// A file of /etc/modules-boot.d or /etc/modules.d as OpenWrt's kmodloader reads it: one module per
// line, its name first and its parameters after (as modprobe takes them), '#' for comments.
namespace Preinit.Core.Modules;

public static class ModuleList
{
    public static List<(string Name, string Parameters)> Parse(string text)
    {
        var modules = new List<(string Name, string Parameters)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.IndexOfAny([' ', '\t']);
            modules.Add(space < 0 ? (line, "") : (line[..space], line[(space + 1)..].Trim()));
        }
        return modules;
    }
}
