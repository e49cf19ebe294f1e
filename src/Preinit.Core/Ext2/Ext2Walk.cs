// One walk of a tree source, the same for counting (Ext2Tree.Scan) and for writing (Ext2Writer): the
// root, then directory by directory, depth first. A directory's children are listed together,
// checked, counted and numbered consecutively (root 2, the root's lost+found 11, the tree 12 up in
// walk order; more names of a hard-linked file share its number), then its subdirectories are walked
// in list order. Numbering a directory's children when it is listed is what lets the writer put out
// a directory's blocks at once. Memory: the children of the directory at hand and the subdirectories
// still to walk at each level, never a record per entry of the tree.
using System.Text;

namespace Preinit.Core.Ext2;

internal abstract class Ext2Walk(IExt2TreeSource source)
{
    /// <summary>A directory to walk: its entry, its inode and its parent's (the root is its own parent).</summary>
    internal readonly record struct Directory(Ext2TreeEntry Entry, uint Inode, uint Parent)
    {
        public bool IsRoot => Inode == Ext2Disk.RootInode;
    }

    /// <summary>A listed child with its inode number; <paramref name="IsFirstName"/> unless it is a further name of a
    /// hard-linked file.</summary>
    internal readonly record struct Child(Ext2TreeEntry Entry, uint Inode, bool IsFirstName);

    private readonly Stack<Directory> _pending = new();
    private readonly List<Ext2TreeEntry> _listed = [];
    private readonly List<Child> _children = [];
    private uint _next = Ext2Tree.FirstTreeInode;

    protected IExt2TreeSource Source => source;

    /// <summary>What the tree walked so far needs; complete once <see cref="Run"/> returns.</summary>
    public Ext2TreeSummary Summary { get; } = new();

    /// <summary>Whether the root lists a "lost+found" directory (else the writer adds one); known once the root is listed.</summary>
    public bool TreeHasLostAndFound { get; private set; }

    /// <summary>The highest inode number given out so far.</summary>
    protected uint LastInode => _next - 1;

    protected uint NewInode() => _next++;

    /// <summary>Numbers another name of a file with hard links (<see cref="Ext2TreeEntry.LinkId"/>): its first name gets
    /// <see cref="NewInode"/>, the others the same number.</summary>
    protected abstract Child Linked(Ext2TreeEntry entry, ulong id);

    /// <summary>A directory was listed: its children are numbered and counted in <see cref="Summary"/>.</summary>
    /// <param name="links">The directory's link count: 2 and one per subdirectory (the root's added lost+found included).</param>
    protected abstract void Visit(Directory directory, int links, List<Child> children);

    public void Run()
    {
        var root = source.ReadRoot();
        if (root.Path.Length != 0 || root.Type != Ext2FileType.Directory)
            throw new Ext2TreeException(root.Path, "the tree must start with the root directory (path \"\")");
        CheckEntry(root);
        _pending.Push(new Directory(root, Ext2Disk.RootInode, Ext2Disk.RootInode));
        while (_pending.TryPop(out var directory))
        {
            _listed.Clear();
            _children.Clear();
            source.List(directory.Entry, _listed);
            var links = ListChildren(directory);
            Visit(directory, links, _children);
            for (var i = _children.Count - 1; i >= 0; i--)
                if (_children[i].Entry.Type == Ext2FileType.Directory)
                    _pending.Push(new Directory(_children[i].Entry, _children[i].Inode, directory.Inode));
        }
    }

    /// <summary>Checks, numbers and counts the listed children; returns the directory's link count.</summary>
    private int ListChildren(Directory directory)
    {
        var packer = Ext2TreeSummary.DirectoryPacker.Start();
        var addsLostAndFound = false;
        if (directory.IsRoot)
        {
            TreeHasLostAndFound = _listed.Exists(e => IsLostAndFound(e.Name));
            addsLostAndFound = !TreeHasLostAndFound;
            Summary.AddRootAndLostAndFound(addsLostAndFound);
            if (addsLostAndFound) packer.Add(Ext2Tree.LostAndFoundName.Length);
        }
        var subdirectories = 0;
        foreach (var e in _listed)
        {
            CheckEntry(e);
            packer.Add(Encoding.UTF8.GetByteCount(e.Name));
            Child child;
            if (directory.IsRoot && IsLostAndFound(e.Name))
            {
                if (e.Type != Ext2FileType.Directory)
                    throw new Ext2TreeException(e.Path, "is not a directory; e2fsck needs /lost+found to be one");
                child = new Child(e, Ext2Disk.LostAndFoundInode, IsFirstName: true);
            }
            else if (e.LinkId is { } id && e.Type != Ext2FileType.Directory)
            {
                child = Linked(e, id);
                if (child.IsFirstName) Summary.AddInode(e); else Summary.AddName();
            }
            else
            {
                child = new Child(e, NewInode(), IsFirstName: true);
                Summary.AddInode(e);
            }
            if (e.Type == Ext2FileType.Directory && ++subdirectories > Ext2Disk.LinkMax - 2)
                throw new Ext2TreeException(directory.Entry.Path, $"more than {Ext2Disk.LinkMax - 2} subdirectories (ext2's link limit)");
            _children.Add(child);
        }
        Summary.AddDirectoryBlocks(packer, isLostAndFound: directory.Inode == Ext2Disk.LostAndFoundInode);
        return 2 + subdirectories + (addsLostAndFound ? 1 : 0);
    }

    private static bool IsLostAndFound(ReadOnlySpan<char> name) => name.SequenceEqual(Ext2Tree.LostAndFoundName);

    private static void CheckEntry(Ext2TreeEntry e)
    {
        Ext2EntryCheck.Check(e);
        if (e.Path.Length != 0 && Encoding.UTF8.GetByteCount(e.Name) > Ext2Disk.MaxNameLength)
            throw new Ext2TreeException(e.Path, $"name longer than {Ext2Disk.MaxNameLength} bytes");
        if (e.Type == Ext2FileType.Symlink && Encoding.UTF8.GetByteCount(e.SymlinkTarget!) >= Ext2TreeSummary.MaxBlockSize)
            throw new Ext2TreeException(e.Path,
                $"symlink target of {Encoding.UTF8.GetByteCount(e.SymlinkTarget!)} bytes; " +
                $"ext2 holds at most {Ext2TreeSummary.MaxBlockSize - 1}");
    }
}
