// One walk of a tree source in pre-order, the same for counting hard links and for writing
// (CpioWriter): the root, then each name in the order its directory lists it, a directory followed
// at once by everything in it. A directory is listed before it is visited, so its link count (2 and
// one per subdirectory) is known when its header is written. Memory: the listing of each directory
// on the way down from the root, never a record per entry of the tree.
using System.Text;
using Preinit.Core.Ext2;

namespace Preinit.Core.Cpio;

internal abstract class CpioWalk(IExt2TreeSource source)
{
    /// <summary>The listing of each directory from the root down to the one at hand, and how far each is walked; reused.</summary>
    private readonly List<List<Ext2TreeEntry>> _listings = [];
    private readonly List<int> _walked = [];

    protected IExt2TreeSource Source => source;

    /// <summary>An entry of the tree, in pre-order, checked.</summary>
    /// <param name="directoryLinks">Directories: 2 and one per subdirectory; else 0.</param>
    protected abstract void Visit(Ext2TreeEntry entry, int directoryLinks);

    public void Run()
    {
        var root = source.ReadRoot();
        if (root.Path.Length != 0 || root.Type != Ext2FileType.Directory)
            throw new Ext2TreeException(root.Path, "the tree must start with the root directory (path \"\")");
        Check(root);
        Enter(root, depth: 0);
        var depth = 1;
        while (depth > 0)
        {
            var listing = _listings[depth - 1];
            if (_walked[depth - 1] == listing.Count)
            {
                listing.Clear();
                depth--;
                continue;
            }
            var entry = listing[_walked[depth - 1]++];
            Check(entry);
            if (entry.Type == Ext2FileType.Directory) Enter(entry, depth++);
            else Visit(entry, 0);
        }
    }

    /// <summary>Lists a directory into the listing at <paramref name="depth"/>, then visits it.</summary>
    private void Enter(Ext2TreeEntry directory, int depth)
    {
        if (_listings.Count == depth)
        {
            _listings.Add([]);
            _walked.Add(0);
        }
        var listing = _listings[depth];
        listing.Clear();
        _walked[depth] = 0;
        source.List(directory, listing);
        var subdirectories = 0;
        foreach (var child in listing)
            if (child.Type == Ext2FileType.Directory) subdirectories++;
        Visit(directory, 2 + subdirectories);
    }

    /// <summary>What newc and the kernel's unpacker can hold: a path, a size and a symlink target that fit.</summary>
    private static void Check(Ext2TreeEntry e)
    {
        Ext2EntryCheck.Check(e);
        if (Encoding.UTF8.GetByteCount(e.Path) is var path and >= CpioNewc.PathMax)
            throw new Ext2TreeException(e.Path, $"path of {path} bytes; the kernel unpacks at most {CpioNewc.PathMax - 1}");
        if (e.Type == Ext2FileType.Regular && e.Size > CpioNewc.MaxFileSize)
            throw new Ext2TreeException(e.Path, $"size of {e.Size} bytes; newc holds 0 to {CpioNewc.MaxFileSize}");
        if (e.Type == Ext2FileType.Symlink && Encoding.UTF8.GetByteCount(e.SymlinkTarget!) is var target and >= CpioNewc.PathMax)
            throw new Ext2TreeException(e.Path, $"symlink target of {target} bytes; the kernel makes at most {CpioNewc.PathMax - 1}");
    }
}
