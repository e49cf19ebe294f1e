// The block sources the probers read through: in memory, a window of a disk, a file or device opened
// read-only; and the smallest inputs the probers must survive.
using System.Diagnostics;
using Preinit.Boot.Probing;
using Preinit.Core.Probing;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

public class ProbingSourceTests
{
    [Fact]
    public void ByteSource_ReadAtTheEnd_ReturnsFewerBytesThenNone()
    {
        var source = new ByteSource(new byte[] { 1, 2, 3, 4, 5 });
        var buffer = new byte[4];
        Assert.Equal(4, source.Read(0, buffer));
        Assert.Equal(2, source.Read(3, buffer));
        Assert.Equal([4, 5], buffer[..2]);
        Assert.Equal(0, source.Read(5, buffer));
        Assert.Equal(0, source.Read(long.MaxValue, buffer));
    }

    [Fact]
    public void SliceSource_WindowPastTheDisk_EndsWhereTheDiskEnds()
    {
        var disk = new ByteSource(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        var slice = new SliceSource(disk, 90, 50);
        Assert.Equal(10, slice.Length);
        var buffer = new byte[20];
        Assert.Equal(10, slice.Read(0, buffer));
        Assert.Equal(90, buffer[0]);
        Assert.Equal(0, slice.Read(10, buffer));
        Assert.Equal(0, new SliceSource(disk, 200, 10).Length);
    }

    [Fact]
    public void FileBlockSource_RegularFile_HasItsSizeAndReadsItsBytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());
            using var source = FileBlockSource.Open(path);
            Assert.Equal(3000, source.Length);
            var buffer = new byte[100];
            Assert.Equal(100, source.Read(1000, buffer));
            Assert.Equal(unchecked((byte)1000), buffer[0]);
            Assert.Equal(50, source.Read(2950, buffer));
            Assert.Equal(0, source.Read(3000, buffer));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Probes_EmptyAndTinySources_FindNothing()
    {
        foreach (var size in new[] { 0, 1, 511, 512, 1024, 1025, 2048 })
        {
            var source = new ByteSource(new byte[size]);
            Assert.Null(FilesystemProbe.Probe(source));
            Assert.Null(PartitionTableProbe.Probe(source));
        }
    }
}
