// A real directory as a tree the ext2 and newc writers walk (twice: to count, then to write): one directory
// at a time, its entries read with getdents64(2) and lstat'ed with statx(2) relative to the open
// directory, sorted by name, staying on the root's filesystem (find -xdev) and leaving out the
// excluded paths. Nothing is kept between directories but a few reused buffers; file content is
// opened only when the writer gets to it.
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Preinit.Core.Ext2;
using Preinit.Interop;

namespace Preinit.Boot.Ext2;

public sealed class Ext2DirectoryTree : IExt2TreeSource
{
    private readonly string _root;
    private readonly string _prefix;    // the root with one '/' after it
    private readonly ulong _device;
    /// <summary>Excluded paths by the directory they are in: absolute directory path, names.</summary>
    private readonly Dictionary<string, HashSet<string>> _exclude = new(StringComparer.Ordinal);
    private readonly byte[] _dirents = new byte[32 * 1024];
    private readonly byte[] _link = new byte[Ext2TreeSummary.MaxBlockSize];
    private readonly List<string> _names = [];

    /// <param name="root">An absolute path of a directory (not a symlink to one).</param>
    /// <param name="exclude">Absolute paths left out with everything below them (the image, its mount point).</param>
    public Ext2DirectoryTree(string root, IEnumerable<string> exclude)
    {
        _root = Path.TrimEndingDirectorySeparator(root);
        _prefix = _root == "/" ? _root : _root + "/";
        _device = Libc.Lstat(_root).Device;
        foreach (var path in exclude)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            if (Path.GetDirectoryName(full) is not { } parent) continue;
            if (!_exclude.TryGetValue(parent, out var names)) _exclude[parent] = names = new HashSet<string>(StringComparer.Ordinal);
            names.Add(Path.GetFileName(full));
        }
    }

    /// <summary>The directory to walk for <paramref name="sourceDir"/>: its full path, or the directory a symlink to it
    /// names (the walk itself never follows links).</summary>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    public static string ResolveRoot(string sourceDir)
    {
        var root = Path.GetFullPath(sourceDir);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{sourceDir}: no such directory");
        return new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : root;
    }

    /// <summary>Writers name entries relative to the tree; users want the path they can look at.</summary>
    public Ext2TreeException Named(Ext2TreeException e) => new(AbsolutePath(e.EntryPath), e.Problem, e.InnerException);

    public Ext2TreeEntry ReadRoot() => Entry("", Libc.Lstat(_root), null);

    public void List(Ext2TreeEntry directory, List<Ext2TreeEntry> children)
    {
        var path = AbsolutePath(directory.Path);
        int fd;
        try { fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC); }
        catch (Exception e) when (e is FileNotFoundException or SystemCallException { Errno: Errno.ENOTDIR or Errno.ELOOP })
        {
            throw Ext2TreeException.Changed(directory.Path, "the directory is gone", e);
        }
        try
        {
            ReadNames(fd, directory.Path);
            _exclude.TryGetValue(path, out var excluded);
            foreach (var name in _names)
            {
                if (excluded is not null && excluded.Contains(name)) continue;
                var relative = directory.Path.Length == 0 ? name : string.Concat(directory.Path, "/", name);
                var errno = Libc.LstatAt(fd, name, out var st);
                if (errno == Errno.ENOENT) throw Ext2TreeException.Changed(relative, "it is gone");
                if (errno != 0) throw Libc.FileError($"statx(\"{AbsolutePath(relative)}\", AT_SYMLINK_NOFOLLOW)", errno);
                if (st.Device != _device) continue; // another filesystem (-xdev)
                children.Add(Entry(relative, st, st.FileType == Libc.S_IFLNK ? ReadLink(fd, name, relative) : null));
            }
        }
        finally { Libc.Close(fd); }
    }

    public Stream Open(Ext2TreeEntry file)
    {
        try
        {
            return new ContentStream(
                Libc.Open(AbsolutePath(file.Path), Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | Libc.O_NOCTTY));
        }
        catch (FileNotFoundException e)
        {
            throw Ext2TreeException.Changed(file.Path, "it is gone", e);
        }
    }

    /// <summary>Where an entry of the tree (its path relative to the root) is.</summary>
    public string AbsolutePath(string relative) => relative.Length == 0 ? _root : _prefix + relative;

    /// <summary>The directory's names but "." and "..", in ordinal order: the order of the image, the same every walk.</summary>
    /// <exception cref="Ext2TreeException">A name that is not UTF-8: it could not be found again, let alone written as it is.</exception>
    private void ReadNames(int fd, string relative)
    {
        _names.Clear();
        int filled;
        while ((filled = Libc.Getdents64(fd, _dirents, AbsolutePath(relative))) > 0)
        {
            for (var at = 0; at < filled;)
            {
                var record = _dirents.AsSpan(at, BinaryPrimitives.ReadUInt16LittleEndian(_dirents.AsSpan(at + linux_dirent64.d_reclen)));
                var name = record[linux_dirent64.d_name..];
                name = name[..name.IndexOf((byte)0)];
                at += record.Length;
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.']) continue;
                if (!Utf8.IsValid(name))
                    throw new Ext2TreeException(
                        relative.Length == 0 ? Encoding.UTF8.GetString(name) : $"{relative}/{Encoding.UTF8.GetString(name)}",
                        "the name is not valid UTF-8 (\uFFFD marks the bytes that are not)");
                _names.Add(Encoding.UTF8.GetString(name));
            }
        }
        _names.Sort(StringComparer.Ordinal);
    }

    private string ReadLink(int fd, string name, string relative)
    {
        var n = Libc.ReadlinkAt(fd, name, _link);
        if (n == -Errno.ENOENT) throw Ext2TreeException.Changed(relative, "it is gone");
        if (n < 0) throw Libc.FileError($"readlinkat(\"{AbsolutePath(relative)}\")", -n);
        return Encoding.UTF8.GetString(_link, 0, n);   // at most PATH_MAX - 1 bytes: the buffer holds any target
    }

    private static Ext2TreeEntry Entry(string relative, statx st, string? symlinkTarget)
    {
        var type = TypeOf(st.FileType);
        return new Ext2TreeEntry(relative, type)
        {
            Permissions = st.stx_mode & 0xFFFu,
            Uid = st.stx_uid,
            Gid = st.stx_gid,
            AccessTime = st.stx_atime.tv_sec,
            ModifyTime = st.stx_mtime.tv_sec,
            ChangeTime = st.stx_ctime.tv_sec,
            Size = type == Ext2FileType.Regular ? (long)st.stx_size : 0,
            SymlinkTarget = symlinkTarget,
            DeviceMajor = st.stx_rdev_major,
            DeviceMinor = st.stx_rdev_minor,
            LinkId = type != Ext2FileType.Directory && st.stx_nlink > 1 ? st.stx_ino : null,
        };
    }

    private static Ext2FileType TypeOf(uint fileType) => fileType switch
    {
        Libc.S_IFREG => Ext2FileType.Regular,
        Libc.S_IFDIR => Ext2FileType.Directory,
        Libc.S_IFLNK => Ext2FileType.Symlink,
        Libc.S_IFCHR => Ext2FileType.CharDevice,
        Libc.S_IFBLK => Ext2FileType.BlockDevice,
        Libc.S_IFIFO => Ext2FileType.Fifo,
        Libc.S_IFSOCK => Ext2FileType.Socket,
        _ => throw new InvalidDataException($"unknown file type 0x{fileType:x}"),
    };

    /// <summary>A file's content straight from its descriptor with read(2): no buffer (the writer reads in large
    /// chunks itself), nothing to set up per file.</summary>
    private sealed class ContentStream(int fd) : Stream
    {
        private int _fd = fd;

        public override int Read(Span<byte> buffer) => Libc.Read(_fd, buffer);
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        protected override void Dispose(bool disposing)
        {
            if (_fd >= 0) Libc.Close(_fd);
            _fd = -1;
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
