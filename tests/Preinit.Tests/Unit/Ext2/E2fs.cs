// The e2fsprogs tools as the ext2 tests' referee: e2fsck -fn must pass on every image the writer
// makes, and debugfs reads inodes back. A tree builder makes writer input without touching the disk.
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public static class E2fs
{
    public static readonly byte[] FixedUuid = Guid.Parse("6a1c5f9e-2d4a-4c8e-9f00-123456789abc").ToByteArray(bigEndian: true);
    public const long FixedTime = 1_300_000_000;

    /// <summary>e2fsck -fn: forced full check, answering no to every question; exit 0 only for a clean filesystem.</summary>
    public static void AssertClean(string image)
    {
        Tools.Capture("e2fsck", ["-fn", image]).Expect();
    }

    public static string Debugfs(string image, string request)
    {
        var run = Tools.Capture("debugfs", ["-R", request, image]).Expect();
        return run.Output + run.Error;
    }

    /// <summary>Writes <paramref name="entries"/> to <paramref name="image"/> with the fixed UUID and time.</summary>
    public static (Ext2Layout Layout, Ext2WriteResult Result) Write(IEnumerable<Ext2TreeEntry> entries, string image,
        Headroom? headroom = null, int? blockSize = null, long? size = null, string label = "")
    {
        var tree = Ext2Tree.From(entries);
        var layout = size is { } s ? Ext2Layout.ForSize(tree.Summary, s, blockSize)
            : Ext2Layout.For(tree.Summary, headroom ?? Headroom.Auto, blockSize);
        using var output = new FileStream(image, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        var result = Ext2Writer.Write(tree, layout, new Ext2WriteOptions(FixedUuid, FixedTime, label), output);
        Assert.Equal(layout.ImageBytes, output.Length);
        return (layout, result);
    }

    /// <summary>Blocks the image file occupies on disk (stat %b, 512-byte units).</summary>
    public static long AllocatedBytes(string path) => long.Parse(Tools.Run("stat", "-c", "%b", path).Trim()) * 512;
}

/// <summary>Writer input built in memory; entries are appended in call order, so directories come first.</summary>
public sealed class TreeBuilder
{
    private readonly List<Ext2TreeEntry> _entries = [];
    private ulong _nextLink = 1;
    public const long Time = 1_234_567_890;

    public TreeBuilder(uint rootMode = 0b111_101_101) =>
        _entries.Add(new Ext2TreeEntry("", Ext2FileType.Directory)
        {
            Permissions = rootMode, ModifyTime = Time, AccessTime = Time, ChangeTime = Time,
        });

    public IReadOnlyList<Ext2TreeEntry> Entries => _entries;

    /// <summary>Every file type, the mode bits a root filesystem uses, owners beyond 16 bits, device numbers old and new,
    /// a fast and a slow symlink, a 255-byte name, a file with three names.</summary>
    public static TreeBuilder Odd()
    {
        var t = new TreeBuilder()
            .Dir("bin")
            .File("bin/busybox", Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 + 1)).ToArray(), mode: 0b100_111_101_101)
            .Symlink("bin/sh", "busybox")
            .Symlink("slow", new string('x', 200) + "/target")
            .Dir("tmp", mode: 0b001_111_111_111)
            .Dir("shared", mode: 0b010_111_101_101, uid: 100_000, gid: 70_000)
            .Dir("dev")
            .Node("dev/null", Ext2FileType.CharDevice, 1, 3)
            .Node("dev/loop200", Ext2FileType.BlockDevice, 7, 200)
            .Node("dev/big-minor", Ext2FileType.CharDevice, 259, 70000)
            .Node("dev/initctl", Ext2FileType.Fifo)
            .Node("dev/log", Ext2FileType.Socket)
            .File("owned", "owner"u8.ToArray(), uid: 1234567, gid: 7654321)
            .File("empty", [])
            .File(new string('n', 255), "long name"u8.ToArray());
        t.HardLink("bin/hardlink", "bin/busybox").HardLink("hardlink-two", "bin/busybox");
        return t;
    }

    public TreeBuilder Dir(string path, uint mode = 0b111_101_101, uint uid = 0, uint gid = 0) =>
        Add(new Ext2TreeEntry(path, Ext2FileType.Directory) { Permissions = mode, Uid = uid, Gid = gid });

    public TreeBuilder File(string path, byte[] content, uint mode = 0b110_100_100, uint uid = 0, uint gid = 0) =>
        Add(new Ext2TreeEntry(path, Ext2FileType.Regular)
        {
            Permissions = mode, Uid = uid, Gid = gid, Size = content.Length, OpenContent = () => new MemoryStream(content, writable: false),
        });

    /// <summary>A file of <paramref name="size"/> bytes made on the fly: zeros, except one non-zero block at each offset in
    /// <paramref name="dataAt"/>.</summary>
    public TreeBuilder Sparse(string path, long size, params long[] dataAt) =>
        Add(new Ext2TreeEntry(path, Ext2FileType.Regular)
        {
            Permissions = 0b110_100_100, Size = size, OpenContent = () => new PatternStream(size, dataAt),
        });

    public TreeBuilder Entry(Ext2TreeEntry entry) => Add(entry);

    public TreeBuilder Symlink(string path, string target) =>
        Add(new Ext2TreeEntry(path, Ext2FileType.Symlink) { Permissions = 0b111_111_111, SymlinkTarget = target });

    public TreeBuilder Node(string path, Ext2FileType type, uint major = 0, uint minor = 0, uint mode = 0b110_100_100) =>
        Add(new Ext2TreeEntry(path, type) { Permissions = mode, DeviceMajor = major, DeviceMinor = minor });

    public TreeBuilder HardLink(string path, string existing)
    {
        var i = _entries.FindIndex(e => e.Path == existing);
        var id = _entries[i].LinkId ?? _nextLink++;
        _entries[i] = _entries[i] with { LinkId = id };
        return Add(_entries[i] with { Path = path });
    }

    private TreeBuilder Add(Ext2TreeEntry e)
    {
        _entries.Add(e with
        {
            AccessTime = e.AccessTime == 0 ? Time : e.AccessTime,
            ModifyTime = e.ModifyTime == 0 ? Time + 1 : e.ModifyTime,
            ChangeTime = e.ChangeTime == 0 ? Time + 2 : e.ChangeTime,
        });
        return this;
    }
}

/// <summary>Read-only content of any length without holding it: zeros, with 4 KiB of 0xA5 at each given offset.</summary>
public sealed class PatternStream(long length, long[] dataAt) : Stream
{
    private long _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        if (n <= 0) return 0;
        buffer[..n].Clear();
        foreach (var at in dataAt)
        {
            var from = Math.Max(at, _position);
            var to = Math.Min(Math.Min(at + 4096, length), _position + n);
            if (from < to) buffer.Slice((int)(from - _position), (int)(to - from)).Fill(0xA5);
        }
        _position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>One tree for the count, another for the write: the list of entries a walk sees changes after the first walk.</summary>
public sealed class ChangingTree(TreeBuilder first, TreeBuilder second) : IExt2TreeSource
{
    private IReadOnlyList<Ext2TreeEntry> _walked = first.Entries;
    private int _walks;

    public Ext2TreeEntry ReadRoot()
    {
        _walked = _walks++ == 0 ? first.Entries : second.Entries;
        return _walked[0];
    }

    public void List(Ext2TreeEntry directory, List<Ext2TreeEntry> children) =>
        children.AddRange(_walked.Skip(1).Where(e => e.Path.LastIndexOf('/') is var slash &&
            (slash < 0 ? "" : e.Path[..slash]) == directory.Path));

    public Stream Open(Ext2TreeEntry file) => file.OpenContent!();
}

/// <summary>Content whose first read succeeds and every later one fails, as a disk with a bad sector.</summary>
public sealed class FailingStream : Stream
{
    private int _reads;
    public override int Read(byte[] buffer, int offset, int count) =>
        _reads++ == 0 ? count : throw new IOException("Input/output error");
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => 0; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A directory of its own under /tmp, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("preinit-ext2.").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
