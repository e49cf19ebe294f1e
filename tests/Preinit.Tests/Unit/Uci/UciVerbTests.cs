// `preinit uci show|get|export FILE`, run in-process through VerbCommands (which reads no response
// files, so @type[N] arrives as written): stdout byte for byte as uci's, problems on stderr.
using Preinit.Cli.Verbs;
using Xunit;

namespace Preinit.Tests.Unit.Uci;

public sealed class UciVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-uci-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string text, string name = "fstab")
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Support.Verbs.Run(["uci", .. args]);

    private const string Fstab = "config global\n\toption anon_swap 0\n\nconfig mount\n" +
        "\toption target\t/storage\n\toption label\trootfs_data\n";

    [Fact]
    public void Show_File_PrintsUciShowOutputUnderTheFilesName()
    {
        var (code, output, error) = Run("show", File(Fstab));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("fstab.@global[0]=global\nfstab.@global[0].anon_swap='0'\nfstab.@mount[0]=mount\nfstab.@mount[0].target='/storage'\n" +
            "fstab.@mount[0].label='rootfs_data'\n", output);
    }

    [Fact]
    public void Show_SectionAndOption_UseTheGeneratedName()
    {
        var path = File(Fstab);
        Assert.Equal((0, "fstab.cfg024d78=mount\nfstab.cfg024d78.target='/storage'\nfstab.cfg024d78.label='rootfs_data'\n", ""),
            Run("show", path, "@mount[0]"));
        Assert.Equal((0, "fstab.cfg024d78.target='/storage'\n", ""), Run("show", path, "@mount[-1].target"));
    }

    [Fact]
    public void Get_OptionOrSection_PrintsTheValueOrTheType()
    {
        var path = File(Fstab);
        Assert.Equal((0, "rootfs_data\n", ""), Run("get", path, "@mount[0].label"));
        Assert.Equal((0, "/storage\n", ""), Run("get", path, "cfg024d78.target"));
        Assert.Equal((0, "global\n", ""), Run("get", path, "@global[0]"));
    }

    [Fact]
    public void Get_Missing_SaysEntryNotFoundAsUci()
    {
        var path = File(Fstab);
        Assert.Equal((1, "", "uci: Entry not found\n"), Run("get", path, "@mount[0].uuid"));
        Assert.Equal((1, "", "uci: Entry not found\n"), Run("show", path, "@swap[0]"));
    }

    [Fact]
    public void Get_Malformed_SaysWhy()
    {
        var path = File(Fstab);
        var (code, output, error) = Run("get", path, "@mount[x].label");
        Assert.Equal((1, ""), (code, output));
        Assert.Contains("Error: '@mount[x]' is neither a section name nor @type[N] (uci: Invalid argument)", error);
        (code, _, error) = Run("get", path, "@mount[0].label=x");
        Assert.Equal(1, code);
        Assert.Contains("get takes no =value", error);
    }

    [Fact]
    public void Export_File_PrintsLibucisFormat()
    {
        var (code, output, _) = Run("export", File(Fstab));
        Assert.Equal(0, code);
        Assert.Equal("package fstab\n\nconfig global\n\toption anon_swap '0'\n\nconfig mount\n\toption target '/storage'\n" +
            "\toption label 'rootfs_data'\n\n", output);
    }

    [Fact]
    public void Show_FileWithBadLines_PrintsTheRestAndEachErrorWithItsPosition()
    {
        var path = File("config mount\n\toption target /storage\n\toption label my stick\n\topt typo 1\n\toption enabled 1\n");
        var (code, output, error) = Run("show", path);
        Assert.Equal(1, code);
        Assert.Equal("fstab.@mount[0]=mount\nfstab.@mount[0].target='/storage'\nfstab.@mount[0].label='my'\nfstab.@mount[0].enabled='1'\n",
            output);
        Assert.Equal(
            $"Error: {path}:3:18: too many arguments: 'stick' and the rest of the line are ignored (quote a value that has blanks)\n" +
            $"Error: {path}:4:2: invalid command 'opt' (expected config, option, list or package)\n",
            error);
    }

    [Fact]
    public void Show_MissingFile_IsAnError()
    {
        var (code, output, error) = Run("show", Path.Combine(_dir, "nonexistent"));
        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"Error: {Path.Combine(_dir, "nonexistent")}: no such UCI file\n", error);
    }
}
