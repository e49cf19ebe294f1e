// What the ext2 writer is told about one name of a directory tree: the inode's properties as
// stat(2) reports them, and the tree itself as a source the writer walks twice, directory by
// directory (IExt2TreeSource). Pure data and interfaces: no syscalls.
namespace Preinit.Core.Ext2;

/// <summary>File types; the values are ext2's directory-entry codes (EXT2_FT_* in e2fsprogs ext2_fs.h).</summary>
public enum Ext2FileType : byte
{
    Regular = 1,
    Directory = 2,
    CharDevice = 3,
    BlockDevice = 4,
    Fifo = 5,
    Socket = 6,
    Symlink = 7,
}

/// <summary>One name in the tree. A list of entries (<see cref="Ext2Tree.From"/>) is in pre-order: the root ("") first,
/// every directory before the names in it; children appear in the order their directory lists them.</summary>
/// <param name="Path">Relative path with '/' separators, "" for the root.</param>
public sealed record Ext2TreeEntry(string Path, Ext2FileType Type)
{
    /// <summary>Permission bits with setuid, setgid and sticky (mode &amp; 07777).</summary>
    public uint Permissions { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }

    /// <summary>Unix seconds; ext2's classic inode keeps signed 32 bits (1901-12-13 to 2038-01-19), later or earlier times
    /// are clamped.</summary>
    public long AccessTime { get; init; }
    public long ModifyTime { get; init; }
    public long ChangeTime { get; init; }

    /// <summary>Regular files: bytes of content, which <see cref="OpenContent"/> must deliver exactly.</summary>
    public long Size { get; init; }

    /// <summary>Symlinks: the target, stored as UTF-8.</summary>
    public string? SymlinkTarget { get; init; }

    /// <summary>Character and block devices: the device number.</summary>
    public uint DeviceMajor { get; init; }
    public uint DeviceMinor { get; init; }

    /// <summary>Hard links: names with the same non-null identity (st_ino on one filesystem) are one inode.
    /// The first name carries the properties; directories cannot be linked.</summary>
    public ulong? LinkId { get; init; }

    /// <summary>Regular files in a list of entries: opens the content for reading, once, while the image is written.
    /// (A tree source opens content itself: <see cref="IExt2TreeSource.Open"/>.)</summary>
    public Func<Stream>? OpenContent { get; init; }

    /// <summary>The last component of the path, without allocating.</summary>
    public ReadOnlySpan<char> Name => Path.AsSpan(Path.LastIndexOf('/') + 1);
}

/// <summary>A tree the writer walks twice, the same way both times: once to count what the image needs
/// (<see cref="Ext2Tree.Scan"/>), once to write it (<see cref="Ext2Writer"/>). The writer asks for one
/// directory at a time and keeps only that directory's children and the subdirectories still to walk, so
/// a source should not hold the whole tree either. Both walks must see the same tree: the writer checks that
/// the second adds up to the first and fails, naming the place, when it does not. The newc writer
/// (<see cref="Cpio.CpioWriter"/>) walks a source twice as well: to count hard links, then to write.</summary>
public interface IExt2TreeSource
{
    /// <summary>The root directory, path "".</summary>
    Ext2TreeEntry ReadRoot();

    /// <summary>Adds the children of <paramref name="directory"/> to <paramref name="children"/>, in the order the
    /// image lists them: the same order on every walk.</summary>
    void List(Ext2TreeEntry directory, List<Ext2TreeEntry> children);

    /// <summary>Opens a regular file's content; it must deliver exactly <see cref="Ext2TreeEntry.Size"/> bytes.</summary>
    Stream Open(Ext2TreeEntry file);
}

/// <summary>Bad input, naming the entry: a name ext2 cannot hold, content that cannot be read,
/// a file that changed size while it was copied.</summary>
public sealed class Ext2TreeException(string entryPath, string problem, Exception? inner = null)
    : IOException($"{(entryPath.Length == 0 ? "/" : entryPath)}: {problem}", inner)
{
    public string EntryPath { get; } = entryPath;
    public string Problem { get; } = problem;

    /// <summary>The second walk of a tree did not find what the first counted: an entry appeared, vanished or changed size.</summary>
    public static Ext2TreeException Changed(string entryPath, string detail, Exception? inner = null) =>
        new(entryPath, $"the tree changed while the image was written: {detail}", inner);
}
