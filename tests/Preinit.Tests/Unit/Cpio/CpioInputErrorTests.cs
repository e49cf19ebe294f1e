// Bad input fails with the entry's name: a file that changed size while it was copied, unreadable
// content, names, sizes and targets newc or the kernel's unpacker cannot hold, a tree whose hard
// links changed between the count and the write.
using Preinit.Core.Cpio;
using Preinit.Core.Ext2;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Cpio;

public class CpioInputErrorTests
{
    private static Ext2TreeException WriteFails(IExt2TreeSource tree) =>
        Assert.Throws<Ext2TreeException>(() => CpioWriter.Write(tree, Stream.Null));

    private static Ext2TreeException WriteFails(TreeBuilder tree) => WriteFails(new Ext2EntryList(tree.Entries));

    private static TreeBuilder WithFile(long size, Func<Stream> open) =>
        new TreeBuilder().Dir("etc").Entry(new Ext2TreeEntry("etc/shadow", Ext2FileType.Regular) { Size = size, OpenContent = open });

    [Fact]
    public void Write_FileGrewWhileCopied_NamesIt()
    {
        var e = WriteFails(WithFile(3000, () => new MemoryStream(new byte[5000])));
        Assert.Equal("etc/shadow", e.EntryPath);
        Assert.Equal("etc/shadow: changed while being written: grew beyond 3000 bytes", e.Message);
    }

    [Fact]
    public void Write_FileShrankWhileCopied_NamesItAndBothSizes()
    {
        var e = WriteFails(WithFile(300_000, () => new MemoryStream(new byte[200_000])));
        Assert.Equal("etc/shadow: changed while being written: shrank to 200000 bytes, 300000 expected", e.Message);
    }

    [Fact]
    public void Write_UnreadableFile_NamesIt()
    {
        var e = WriteFails(WithFile(10, () => throw new UnauthorizedAccessException("Access to the path is denied.")));
        Assert.StartsWith("etc/shadow: cannot open: Access to the path is denied.", e.Message);
    }

    [Fact]
    public void Write_ReadErrorMidway_NamesIt()
    {
        var e = WriteFails(WithFile(1 << 20, () => new FailingStream()));
        Assert.StartsWith("etc/shadow: cannot read: Input/output error", e.Message);
    }

    [Fact]
    public void Write_FileOf4GiB_IsRefusedBeforeAnythingIsRead()
    {
        var e = WriteFails(WithFile(1L << 32, () => throw new InvalidOperationException("not to be opened")));
        Assert.Equal("etc/shadow: size of 4294967296 bytes; newc holds 0 to 4294967295", e.Message);
    }

    [Fact]
    public void Write_PathLongerThanTheKernelUnpacks_NamesIt()
    {
        var deep = string.Join('/', Enumerable.Repeat(new string('d', 200), 20));   // 4019 bytes
        var tree = new TreeBuilder();
        for (var slash = deep.IndexOf('/'); slash > 0; slash = deep.IndexOf('/', slash + 1)) tree.Dir(deep[..slash]);
        tree.Dir(deep).File(deep + "/" + new string('f', 76), []);   // 4096 bytes: with its NUL one more than PATH_MAX
        var e = WriteFails(tree);
        Assert.Equal($"{deep}/{new string('f', 76)}: path of 4096 bytes; the kernel unpacks at most 4095", e.Message);
    }

    [Fact]
    public void Write_SymlinkTargetOfPathMax_IsRefused()
    {
        var e = WriteFails(new TreeBuilder().Symlink("far", new string('x', 4096)));
        Assert.Equal("far: symlink target of 4096 bytes; the kernel makes at most 4095", e.Message);
    }

    private static TreeBuilder Etc() =>
        new TreeBuilder().Dir("etc").File("etc/passwd", new byte[100]).Dir("usr").File("usr/readme", new byte[10]);

    [Fact]
    public void Write_HardLinkAddedBetweenTheWalks_NamesIt()
    {
        var e = WriteFails(new ChangingTree(Etc(), Etc().HardLink("usr/passwd-link", "etc/passwd")));
        Assert.Equal("etc/passwd: the tree changed while the image was written: it has other hard links now", e.Message);
    }

    [Fact]
    public void Write_HardLinkRemovedBetweenTheWalks_NamesTheFileWhoseContentWouldBeMissing()
    {
        var linked = Etc().HardLink("usr/passwd-link", "etc/passwd");
        var unlinked = new TreeBuilder().Dir("etc").Entry(linked.Entries[2]).Dir("usr").File("usr/readme", new byte[10]);
        var e = WriteFails(new ChangingTree(linked, unlinked));
        Assert.Equal("etc/passwd: the tree changed while the image was written: 1 names of the file now, 2 counted before", e.Message);
    }
}
