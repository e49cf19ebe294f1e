// What the root is made of when it is an overlay, read back from the mount table: its lower layers,
// and where its changes go (the upper layer). The options are the paths as they were given to the
// mount, seen from the root of that time: the RAM layer is at the same place in both roots, since
// /tmp moves into the new root; the stick's layer moves with the stick to its mount point.
using Preinit.Boot.Platform;

namespace Preinit.Boot.Extroot;

public sealed class RootOverlay
{
    private RootOverlay(IReadOnlyList<string> lower, string upper, string work)
    {
        Lower = lower;
        Upper = upper;
        Work = work;
    }

    /// <summary>The lower layers, topmost first.</summary>
    public IReadOnlyList<string> Lower { get; }
    public string Upper { get; }
    public string Work { get; }

    /// <summary>New changes go to RAM (<see cref="OverlayPivotRequest.RamLayer"/>): nothing of this session is saved.</summary>
    public bool ChangesInRam => Upper.StartsWith(OverlayPivotRequest.RamLayer + "/", StringComparison.Ordinal);

    /// <summary>A RAM-only session: changes in RAM over the RAM root alone, no stick's saved changes below them.</summary>
    public bool RamOnly => ChangesInRam && Lower.Count == 1;

    /// <summary>The root's overlay now, or null when / is not an overlay.</summary>
    public static RootOverlay? Current(string mounts = MountTable.Path)
    {
        return MountTable.Root(mounts) is { Type: "overlay" } root ? Parse(root.Options) : null;
    }

    /// <summary>The layers from an overlay's mount options; null when they lack an upper layer (a read-only overlay).</summary>
    public static RootOverlay? Parse(string options)
    {
        string? lower = null, upper = null, work = null;
        foreach (var option in options.Split(','))
        {
            if (option.StartsWith("lowerdir=", StringComparison.Ordinal)) lower = option["lowerdir=".Length..];
            else if (option.StartsWith("upperdir=", StringComparison.Ordinal)) upper = option["upperdir=".Length..];
            else if (option.StartsWith("workdir=", StringComparison.Ordinal)) work = option["workdir=".Length..];
        }
        if (lower is null || upper is null || work is null) return null;
        return new RootOverlay(lower.Split(':'), upper, work);
    }
}
