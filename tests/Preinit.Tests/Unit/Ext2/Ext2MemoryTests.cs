// The writer's memory does not grow with the tree: a tree generated on the fly (nothing of it kept
// by the test) goes through both walks into an output that keeps nothing, and the live heap is
// measured after full collections as the walks go. Ten times the entries must not need more; a
// record, an array slot or a string kept per entry would show here as hundreds of KiB.
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2MemoryTests
{
    /// <summary>Root: 10 directories; each: <paramref name="width"/> subdirectories of 1,000 files, a symlink and a fifo.</summary>
    private sealed class GeneratedTree(int width, Action listed) : IExt2TreeSource
    {
        private const long Time = 1_300_000_000;

        public Ext2TreeEntry ReadRoot() => Dir("");

        public void List(Ext2TreeEntry directory, List<Ext2TreeEntry> children)
        {
            listed();
            var depth = directory.Path.Length == 0 ? 0 : directory.Path.Count(c => c == '/') + 1;
            switch (depth)
            {
                case 0:
                    for (var i = 0; i < 10; i++) children.Add(Dir($"top{i}"));
                    break;
                case 1:
                    for (var i = 0; i < width; i++) children.Add(Dir($"{directory.Path}/sub{i:000}"));
                    break;
                default:
                    for (var i = 0; i < 1000; i++)
                        children.Add(new Ext2TreeEntry($"{directory.Path}/file-{i:0000}", Ext2FileType.Regular)
                            { Permissions = 0b110_100_100, Size = i * 7 % 3000, ModifyTime = Time });
                    children.Add(new Ext2TreeEntry($"{directory.Path}/link", Ext2FileType.Symlink)
                    {
                        Permissions = 0b111_111_111, SymlinkTarget = "file-0001",
                    });
                    children.Add(new Ext2TreeEntry($"{directory.Path}/fifo", Ext2FileType.Fifo) { Permissions = 0b110_000_000 });
                    break;
            }
        }

        public Stream Open(Ext2TreeEntry file) => new PatternStream(file.Size, [0]);

        private static Ext2TreeEntry Dir(string path) =>
            new(path, Ext2FileType.Directory) { Permissions = 0b111_101_101, ModifyTime = Time };
    }

    /// <summary>Seekable and writable, keeps only its length: the image's bytes are not the point here.</summary>
    private sealed class DiscardingStream : Stream
    {
        private long _length;

        public override long Position { get; set; }
        public override long Length => _length;
        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override void SetLength(long value) => _length = value;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => _length + offset,
        };
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Counts and writes a generated tree; returns its entries and the most live heap above what was live
    /// before (sampled after a full collection at every 8th directory listed).</summary>
    private static (long Entries, long PeakLiveBytes) Measure(int width)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var listings = 0;
        var tree = new GeneratedTree(width, () =>
        {
            if (listings++ % 8 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
        });
        var counted = Ext2Tree.Scan(tree);
        var layout = Ext2Layout.For(counted.Summary, Headroom.Auto, blockSize: 1024);
        var result = Ext2Writer.Write(counted, layout, new Ext2WriteOptions(E2fs.FixedUuid, E2fs.FixedTime), new DiscardingStream());
        return (result.Entries, peak);
    }

    [Fact]
    public void Write_TenTimesTheEntries_NeedsNoMoreLiveMemory()
    {
        Measure(width: 1);   // first use: code and statics the runtime sets up once
        var small = Measure(width: 2);
        var large = Measure(width: 20);

        Assert.Equal(20_071, small.Entries);     // the root, 10 + 20 directories, 20 x (1,000 files, a symlink, a fifo)
        Assert.Equal(200_611, large.Entries);
        Assert.True(large.PeakLiveBytes - small.PeakLiveBytes < 128 * 1024,
            $"live heap grew with the tree: {small.PeakLiveBytes} bytes at {small.Entries} entries, " +
            $"{large.PeakLiveBytes} at {large.Entries}");
    }
}
