// A tree given as a list of entries in pre-order (tests, and callers that have the tree in memory
// anyway) as a source the writers (ext2, newc) can walk: the list is checked for its shape once (the root first,
// every directory before the names in it, no path twice) and each directory's children are kept in
// list order.
namespace Preinit.Core.Ext2;

public sealed class Ext2EntryList : IExt2TreeSource
{
    private readonly Ext2TreeEntry _root;
    private readonly Dictionary<string, List<Ext2TreeEntry>> _children = new(StringComparer.Ordinal);

    /// <exception cref="Ext2TreeException">A list that is not a tree in pre-order, or a file without content to read, named.</exception>
    public Ext2EntryList(IEnumerable<Ext2TreeEntry> entries)
    {
        Ext2TreeEntry? root = null;
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (root is null)
            {
                if (e.Path.Length != 0 || e.Type != Ext2FileType.Directory) break;
                root = e;
                _children[""] = [];
                continue;
            }
            if (e.Path.StartsWith('/')) throw new Ext2TreeException(e.Path, "not a valid relative path");
            var slash = e.Path.LastIndexOf('/');
            var parentPath = slash < 0 ? "" : e.Path[..slash];
            if (!_children.TryGetValue(parentPath, out var siblings))
                throw new Ext2TreeException(e.Path, $"its directory '{parentPath}' is not listed before it");
            if (!paths.Add(e.Path)) throw new Ext2TreeException(e.Path, "listed twice");
            if (e.Type == Ext2FileType.Regular && e.Size > 0 && e.OpenContent is null)
                throw new Ext2TreeException(e.Path, "has content but no way to read it");
            siblings.Add(e);
            if (e.Type == Ext2FileType.Directory) _children[e.Path] = [];
        }
        _root = root ?? throw new Ext2TreeException("", "the list must start with the root directory (path \"\")");
    }

    public Ext2TreeEntry ReadRoot() => _root;

    public void List(Ext2TreeEntry directory, List<Ext2TreeEntry> children) => children.AddRange(_children[directory.Path]);

    public Stream Open(Ext2TreeEntry file) => file.OpenContent?.Invoke() ?? Stream.Null;
}
