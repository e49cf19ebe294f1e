// The pivot both extroot kinds end with (OpenWrt fstools' pivot()): pivot_root into a mounted new
// root with the old root kept at /rom, then the kernel filesystems (and whatever else is named) move
// from the old root into the new one, so /proc, /sys, /dev and /tmp stay where init expects them.
// All or nothing where it can be: every place a mount will move to is checked in the new root
// before pivot_root (a stick can hold a file or a dangling symlink at upper/tmp), and a move that
// still fails afterwards is reported, not thrown: by then / is the new root.
using Preinit.Boot.Platform;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

/// <summary>Something stands where a directory must be; nothing was pivoted.</summary>
/// <param name="path">Where it is (in the new root, or on the stick once the caller knows).</param>
/// <param name="kind">What it is, in words ("a symbolic link").</param>
public sealed class NewRootObstacle(string path, string kind, string message) : IOException(message)
{
    public string Path { get; } = path;
    public string Kind { get; } = kind;
}

/// <param name="OldRoot">The old root's path in the new root ("/rom").</param>
/// <param name="Problems">Mounts that could not be moved into the new root, each in words.</param>
public sealed record PivotResult(string OldRoot, IReadOnlyList<string> Problems);

public static class RootPivot
{
    /// <summary>What moves from the old root into the new one, in this order, when it is mounted.</summary>
    public static readonly IReadOnlyList<string> KernelFilesystems = ["/proc", "/sys", "/dev", "/tmp"];

    /// <exception cref="NewRootObstacle">A place the old root or a mount goes to is not a directory in the new root.</exception>
    public static PivotResult Into(string newRoot, string oldRootName, IEnumerable<string> moved)
    {
        var mounts = moved.Where(MountPoint.Is).ToList();
        foreach (var place in mounts.Prepend("/" + oldRootName))
            EnsureDirectory(newRoot, place);

        Libc.Chdir(newRoot);
        Libc.PivotRoot(".", oldRootName);
        Libc.Chdir("/");

        var old = "/" + oldRootName;
        var problems = new List<string>();
        foreach (var mount in mounts)
        {
            try { Libc.Mount(old + mount, mount, null, Libc.MS_MOVE, null); }
            catch (SystemCallException e)
            {
                problems.Add($"{mount} could not be moved into the new root and stays at {old}{mount}: {e.Message}");
            }
        }
        return new PivotResult(old, problems);
    }

    /// <summary>A directory at <paramref name="place"/> in the new root: one there is kept, a missing one is made, anything
    /// else (a file, a symlink that could lead anywhere) is an obstacle.</summary>
    private static void EnsureDirectory(string newRoot, string place)
    {
        var path = newRoot + place;
        if (!Libc.TryLstat(path, out var found))
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (found.FileType != Libc.S_IFDIR)
        {
            var kind = FileKind.Describe(found.stx_mode);
            throw new NewRootObstacle(place, kind, $"{place} in the new root is {kind}, not a directory, " +
                $"so {place} cannot be mounted there");
        }
    }
}
