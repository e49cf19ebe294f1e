// `preinit mkimage`, run in-process: what it prints on success, and the error for each bad input.
using System.CommandLine;
using Preinit.Cli.Verbs;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Ext2;

public class MkimageVerbTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Support.Verbs.Run(["mkimage", .. args]);

    [Fact]
    public void Mkimage_Tree_WritesAnImageFsckAccepts_AndReportsIt()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("tree")).FullName;
        File.WriteAllText(Path.Combine(source, "hello"), "hello\n");
        var image = dir.File("out.img");
        var (code, output, error) = Run(source, image, "--headroom", "1M", "--label", "live",
            "--uuid", "0b1c5f9e-2d4a-4c8e-9f00-123456789abc", "--time", "1300000000");
        Assert.True(code == 0, error);
        Assert.Matches($@"^image {System.Text.RegularExpressions.Regex.Escape(image)}: {new FileInfo(image).Length} bytes \(1\.\d MiB\), " +
            @"1 KiB blocks, 2 entries, 1 file, 6 B of content, 1\.0 MiB and \d+ inodes free, \d+ ms\n$", output);
        E2fs.AssertClean(image);
        Assert.Contains("Filesystem volume name:   live", Tools.Run("dumpe2fs", "-h", image));
    }

    [Theory]
    [InlineData(new[] { "--size", "1M", "--headroom", "1M" }, "Error: --size and --headroom exclude each other")]
    [InlineData(new[] { "--size", "lots" }, "Error: --size 'lots' is not a size")]
    [InlineData(new[] { "--headroom", "lots" }, "Error: --headroom 'lots' is not a size")]
    [InlineData(new[] { "--uuid", "nope" }, "Error: --uuid 'nope' is not a UUID")]
    [InlineData(new[] { "--label", "seventeen-bytes!!" }, "Error: --label 'seventeen-bytes!!' is longer than 16 bytes")]
    [InlineData(new[] { "--block-size", "512" }, "Error: --block-size '512' is not 1024, 2048 or 4096")]
    [InlineData(new[] { "--time", "yesterday" }, "Error: --time 'yesterday' is not a number of seconds since 1970")]
    public void Mkimage_BadOption_SaysWhatIsWrong(string[] options, string expected)
    {
        using var dir = new TempDir();
        var (code, _, error) = Run([dir.Path, dir.File("x.img"), .. options]);
        Assert.Equal(1, code);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Mkimage_SizeTooSmall_SaysHowMuchTheTreeNeeds()
    {
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("tree")).FullName;
        File.WriteAllBytes(Path.Combine(source, "big"), Enumerable.Repeat((byte)7, 3 << 20).ToArray());
        var (code, _, error) = Run(source, dir.File("x.img"), "--size", "1M");
        Assert.Equal(1, code);
        Assert.Matches(
            @"^Error: --size 1M: 1048576 bytes \(1\.0 MiB\) is too small: the tree needs at least \d+ bytes \(3\.\d MiB\)\n$",
            error);
        Assert.False(File.Exists(dir.File("x.img")));
    }

    [Fact]
    public void Mkimage_MissingDirectory_SaysSo()
    {
        var (code, _, error) = Run("/no/such/tree", "/tmp/never.img");
        Assert.Equal(1, code);
        Assert.Equal("Error: /no/such/tree: no such directory\n", error);
    }
}
