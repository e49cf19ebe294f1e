// Bad input fails with the entry's name: unreadable content, a file that changed size while it was
// copied, a tree that changed between the count and the write, names and trees ext2 cannot hold.
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class Ext2InputErrorTests
{
    private static Ext2TreeException WriteFails(TreeBuilder tree)
    {
        using var dir = new TempDir();
        return Assert.Throws<Ext2TreeException>(() => E2fs.Write(tree.Entries, dir.File("bad.img")));
    }

    private static TreeBuilder WithFile(long size, Func<Stream> open) =>
        new TreeBuilder().Dir("etc").Entry(new Ext2TreeEntry("etc/shadow", Ext2FileType.Regular) { Size = size, OpenContent = open });

    [Fact]
    public void Write_UnreadableFile_NamesIt()
    {
        var e = WriteFails(WithFile(10, () => throw new UnauthorizedAccessException("Access to the path is denied.")));
        Assert.Equal("etc/shadow", e.EntryPath);
        Assert.StartsWith("etc/shadow: cannot open: Access to the path is denied.", e.Message);
    }

    [Fact]
    public void Write_FileShrankSinceTheScan_NamesItAndBothSizes()
    {
        var e = WriteFails(WithFile(5000, () => new MemoryStream(new byte[3000])));
        Assert.Equal("etc/shadow: changed while being written: shrank to 3000 bytes, 5000 expected", e.Message);
    }

    [Fact]
    public void Write_FileGrewSinceTheScan_NamesIt()
    {
        var e = WriteFails(WithFile(3000, () => new MemoryStream(new byte[5000])));
        Assert.Equal("etc/shadow: changed while being written: grew beyond 3000 bytes", e.Message);
    }

    [Fact]
    public void Write_ReadErrorMidway_NamesIt()
    {
        var e = WriteFails(WithFile(1 << 20, () => new FailingStream()));
        Assert.StartsWith("etc/shadow: cannot read: Input/output error", e.Message);
    }

    [Theory]
    [InlineData("a/../b")]
    [InlineData("a/")]
    [InlineData("/abs")]
    public void From_PathsThatAreNotNames_AreRefused(string path)
    {
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Tree.From(new TreeBuilder().Dir("a").File(path, []).Entries));
        Assert.Contains(path.TrimEnd('/'), e.Message.Replace("//", "/"));
    }

    [Fact]
    public void From_NameOf256Bytes_IsRefused()
    {
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Tree.From(new TreeBuilder().File(new string('é', 128), []).Entries));
        Assert.Contains("longer than 255 bytes", e.Message);
    }

    [Fact]
    public void From_ChildBeforeItsDirectory_IsRefused()
    {
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Tree.From(new TreeBuilder().File("late/f", []).Dir("late").Entries));
        Assert.Equal("late/f: its directory 'late' is not listed before it", e.Message);
    }

    [Fact]
    public void From_SameNameTwice_IsRefused()
    {
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Tree.From(new TreeBuilder().File("x", []).Symlink("x", "y").Entries));
        Assert.Equal("x: listed twice", e.Message);
    }

    [Fact]
    public void From_LostAndFoundThatIsAFile_IsRefused()
    {
        var e = Assert.Throws<Ext2TreeException>(() => Ext2Tree.From(new TreeBuilder().File("lost+found", []).Entries));
        Assert.Contains("lost+found: is not a directory", e.Message);
    }

    [Fact]
    public void Write_GivenSizeTooSmall_SaysWhatTheTreeNeeds()
    {
        using var dir = new TempDir();
        var tree = new TreeBuilder().File("big", new byte[3 << 20]);
        var e = Assert.Throws<Ext2SizeException>(() => E2fs.Write(tree.Entries, dir.File("small.img"), size: 1 << 20));
        Assert.Matches(@"^1048576 bytes \(1\.0 MiB\) is too small: the tree needs at least \d+ bytes \(3\.\d MiB\)$", e.Message);
    }

    private static Ext2TreeException WriteFails(TreeBuilder counted, TreeBuilder written)
    {
        using var dir = new TempDir();
        var tree = Ext2Tree.Scan(new ChangingTree(counted, written));
        var layout = Ext2Layout.For(tree.Summary, Headroom.Auto);
        using var output = File.Create(dir.File("changed.img"));
        return Assert.Throws<Ext2TreeException>(
            () => Ext2Writer.Write(tree, layout, new Ext2WriteOptions(E2fs.FixedUuid, E2fs.FixedTime), output));
    }

    private static TreeBuilder Etc(int passwdBytes = 100) =>
        new TreeBuilder().Dir("etc").File("etc/passwd", new byte[passwdBytes]).Dir("usr").File("usr/readme", new byte[10]);

    [Fact]
    public void Write_FileGrewBetweenTheWalks_NamesItsDirectoryBeforeWritingIt()
    {
        var e = WriteFails(Etc(), Etc(passwdBytes: 1 << 20));
        Assert.Equal("etc", e.EntryPath);
        Assert.Matches(@"^etc: the tree changed while the image was written: \d+ blocks by here, \d+ counted in all$", e.Message);
    }

    [Fact]
    public void Write_EntryAppearedBetweenTheWalks_NamesItsDirectory()
    {
        var e = WriteFails(Etc(), Etc().File("usr/new", []));
        Assert.Equal("usr: the tree changed while the image was written: 5 inodes by here, 4 counted in all", e.Message);
    }

    [Fact]
    public void Write_EntryVanishedBetweenTheWalks_SaysWhatNoLongerAddsUp()
    {
        var e = WriteFails(Etc().File("usr/old", []), Etc());
        Assert.Equal("/: the tree changed while the image was written: 5 names now, 6 counted before", e.Message);
    }

    [Fact]
    public void Write_HardLinkAddedBetweenTheWalks_NamesIt()
    {
        var e = WriteFails(Etc(), Etc().HardLink("usr/passwd-link", "etc/passwd"));
        Assert.Equal("etc/passwd: the tree changed while the image was written: it has hard links now", e.Message);
    }
}
