// Which path below the root an archive member names, and which names must never be written: a
// ".." component could leave the root. Pure: whether a parent on disk is a symlink is the
// restorer's check (SysupgradeArchive), made as it goes.
namespace Preinit.Core.Restore;

public static class ArchivePath
{
    /// <summary>
    /// The path below the root that the member <paramref name="name"/> names. `tar -C / etc/config`
    /// writes "etc/config/network", other tools "./etc/..." or "/etc/..." (taken relative to the root,
    /// as tar does without -P); empty and "." components are dropped. "" is the root itself.
    /// </summary>
    /// <returns>False, with the reason in <paramref name="problem"/>, for an empty name, a NUL, or a ".." component
    /// (refused wherever it stands, as GNU tar does: "a/../b" is never worth the risk).</returns>
    public static bool TryResolve(string name, out string relative, out string problem)
    {
        relative = "";
        problem = "";
        if (name.Length == 0) { problem = "the member has no name"; return false; }
        if (name.Contains('\0')) { problem = "the name holds a NUL byte"; return false; }
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                problem = "the name has a '..' component, which could reach outside the root";
                return false;
            }
            parts.Add(part);
        }
        relative = string.Join('/', parts);
        return true;
    }
}
