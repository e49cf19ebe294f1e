// The writer's second walk for the mke2fs fallback, which copies through the kernel instead of
// writing blocks: the same order and checks (Ext2Walk), every name handed to a target that makes it in
// the mounted filesystem. A directory is closed (its mode and times set) once everything below it is
// in, which the walk knows when it reaches a directory outside it. Memory: the walk's, plus the open
// directories, one per level above the directory at hand.
namespace Preinit.Core.Ext2;

/// <summary>Where a copy of a tree goes (<see cref="Ext2Tree.CopyTo"/>), name by name in the image's order.</summary>
public interface IExt2CopyTarget
{
    /// <summary>A name that is not a further name of a hard-linked file; a directory is made empty. Never the root,
    /// which is there.</summary>
    void Create(Ext2TreeEntry entry);

    /// <summary>A further name of a hard-linked file whose first name, <paramref name="firstPath"/>, is made already.</summary>
    void Link(Ext2TreeEntry entry, string firstPath);

    /// <summary>A directory with everything below it in place (the root last): its mode and times now, so the copy does
    /// not change them afterwards.</summary>
    void Close(Ext2TreeEntry directory);
}

internal sealed class Ext2TreeCopy(Ext2Tree tree, IExt2CopyTarget target) : Ext2Walk(tree.Source)
{
    private readonly Stack<Ext2TreeEntry> _open = new();

    public void Copy()
    {
        Run();
        while (_open.TryPop(out var directory)) target.Close(directory);
    }

    /// <summary>A name of a hard-linked file is a further one when the count saw the file first under another path.</summary>
    protected override Child Linked(Ext2TreeEntry entry, ulong id) =>
        tree.Links.TryGetValue(id, out var link) && link.FirstPath != entry.Path
            ? new Child(entry, link.Inode, IsFirstName: false)
            : new Child(entry, NewInode(), IsFirstName: true);

    protected override void Visit(Directory directory, int links, List<Child> children)
    {
        while (_open.TryPeek(out var open) && !IsBelow(directory.Entry.Path, open.Path)) target.Close(_open.Pop());
        foreach (var child in children)
        {
            if (child.IsFirstName) target.Create(child.Entry);
            else target.Link(child.Entry, tree.Links[child.Entry.LinkId!.Value].FirstPath);
        }
        _open.Push(directory.Entry);
    }

    private static bool IsBelow(string path, string directory) =>
        directory.Length == 0
        || (path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal));
}
