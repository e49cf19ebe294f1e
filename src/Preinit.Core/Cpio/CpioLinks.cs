// The hard links of a tree as newc needs them, counted by a first walk: the kernel's unpacker (and
// GNU cpio) links names that share an inode number and have a link count of 2 or more, and newc
// carries a regular file's content on one name only, the last of its group, as GNU cpio writes it.
// So before the writing walk can give any name its header it must know how many names the file has
// in the tree. One record per file with hard links is the only memory that grows with the tree.
using Preinit.Core.Ext2;

namespace Preinit.Core.Cpio;

internal sealed class CpioLinks
{
    private readonly Dictionary<ulong, Group> _groups = [];

    /// <summary>A file with hard links: its names in the tree; while writing, its inode number and the names written.</summary>
    internal sealed class Group(Ext2FileType type, string firstPath)
    {
        public Ext2FileType Type { get; } = type;
        public string FirstPath { get; } = firstPath;
        public uint Names { get; set; } = 1;
        public uint Ino { get; set; }
        public uint Written { get; set; }
    }

    /// <summary>Walks <paramref name="source"/> once and counts the names of each file with hard links.</summary>
    /// <exception cref="Ext2TreeException">An entry newc cannot hold, or names of one inode that differ in type, named.</exception>
    public static CpioLinks Count(IExt2TreeSource source)
    {
        var count = new Counting(source);
        count.Run();
        return count.Links;
    }

    /// <summary>Whether newc links this entry to others: a file with a link identity, but not a directory (which
    /// cannot be linked) nor a symlink (the kernel makes every symlink on its own from its target).</summary>
    public static bool IsLinked(Ext2TreeEntry e) =>
        e.LinkId is not null && e.Type is not (Ext2FileType.Directory or Ext2FileType.Symlink);

    public bool TryGet(ulong id, out Group group) => _groups.TryGetValue(id, out group!);

    /// <summary>After the writing walk: every name counted must have been written, or a file's content is missing.</summary>
    /// <exception cref="Ext2TreeException">A file that has fewer names now, named by its first.</exception>
    public void CheckAllWritten()
    {
        foreach (var group in _groups.Values)
            if (group.Written != group.Names)
                throw Ext2TreeException.Changed(group.FirstPath, $"{group.Written} names of the file now, {group.Names} counted before");
    }

    private sealed class Counting(IExt2TreeSource source) : CpioWalk(source)
    {
        public CpioLinks Links { get; } = new();

        protected override void Visit(Ext2TreeEntry entry, int directoryLinks)
        {
            if (!IsLinked(entry)) return;
            var id = entry.LinkId!.Value;
            if (!Links._groups.TryGetValue(id, out var group))
            {
                Links._groups.Add(id, new Group(entry.Type, entry.Path));
                return;
            }
            if (group.Type != entry.Type)
                throw new Ext2TreeException(entry.Path, $"hard link to '{group.FirstPath}' but of another file type");
            group.Names++;
        }
    }
}
