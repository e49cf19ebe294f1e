// What every writer of a tree refuses, whatever its format (ext2, newc): a name that is not one, mode
// bits beyond 07777, a negative size, a symlink without a target, an unknown file type. Each walk
// adds its format's own limits (lengths of names and targets, file sizes).
namespace Preinit.Core.Ext2;

internal static class Ext2EntryCheck
{
    /// <exception cref="Ext2TreeException">The problem, naming the entry.</exception>
    public static void Check(Ext2TreeEntry e)
    {
        if (e.Path.Length != 0 && (e.Name is "" or "." or ".." || e.Path.Contains('\0')))
            throw new Ext2TreeException(e.Path, "not a valid relative path");
        if (e.Permissions > 0xFFF) throw new Ext2TreeException(e.Path, $"mode 0{Convert.ToString(e.Permissions, 8)} has bits beyond 07777");
        switch (e.Type)
        {
            case Ext2FileType.Regular when e.Size < 0:
                throw new Ext2TreeException(e.Path, "negative size");
            case Ext2FileType.Symlink when string.IsNullOrEmpty(e.SymlinkTarget) || e.SymlinkTarget.Contains('\0'):
                throw new Ext2TreeException(e.Path, "symlink without a valid target");
            case < Ext2FileType.Regular or > Ext2FileType.Symlink:
                throw new Ext2TreeException(e.Path, $"unknown file type {(int)e.Type}");
        }
    }
}
