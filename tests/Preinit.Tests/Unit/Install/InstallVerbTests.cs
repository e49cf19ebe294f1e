// `preinit install`, run in-process: the lines it prints, and the error for each bad input.
using Preinit.Boot.Install;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Install;

public sealed class InstallVerbTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args) => Support.Verbs.Run(["install", .. args]);

    [Fact]
    public void Install_ThenUninstall_PrintOneLinePerPath_AndExitZero()
    {
        var root = Directory.CreateDirectory(_dir.File("rootfs")).FullName;

        var (code, output, error) = Run(root, "--binary", "/bin/true");
        Assert.True(code == 0, error);
        Assert.Contains($"installed  {root}/sbin/preinit: ", output);
        Assert.Contains($"linked     {root}/etc/preinit: -> ../sbin/preinit\n", output);

        (code, output, error) = Run(root, "--uninstall");
        Assert.True(code == 0, error);
        Assert.Contains($"removed    {root}/sbin/preinit: as installed\n", output);
        Assert.EndsWith($"preinit uninstalled: {root} is as it was before\n", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Install_UnderTheJit_AsksForTheBinary()
    {
        var (code, _, error) = Run(Directory.CreateDirectory(_dir.File("rootfs")).FullName);
        Assert.Equal(1, code);
        Assert.StartsWith("Error: this is not the published preinit but the .NET host (", error);
        Assert.Contains("give the binary with --binary out/preinit", error);
    }

    [Theory]
    [InlineData("missing", "missing: no such directory; give the rootfs directory (an unpacked initramfs tree)")]
    [InlineData("file", "file is not a directory; give the rootfs directory (an unpacked initramfs tree), not an image")]
    public void Install_RootfsNotADirectory_SaysWhatToGive(string name, string expected)
    {
        File.WriteAllText(_dir.File("file"), "an image, say");
        var (code, _, error) = Run(_dir.File(name), "--binary", "/bin/true");
        Assert.Equal(1, code);
        Assert.Equal($"Error: {_dir.Path}/{expected}\n", error);
    }

    [Fact]
    public void Install_IntoTheRunningRoot_IsRefused()
    {
        var (code, _, error) = Run("/", "--binary", "/bin/true");
        Assert.Equal(1, code);
        Assert.Equal("Error: / is the running system's root: give the directory of the rootfs to change\n", error);
    }

    [Fact]
    public void Install_BinaryThatIsNoElf_SaysSo()
    {
        var script = _dir.File("script");
        File.WriteAllText(script, "#!/bin/sh\necho I am not preinit, but a script long enough to have a header\n");
        var (code, _, error) = Run(Directory.CreateDirectory(_dir.File("rootfs")).FullName, "--binary", script);
        Assert.Equal(1, code);
        Assert.Equal($"Error: {script} is not a 64-bit ELF executable; give the preinit binary (out/preinit)\n", error);
    }

    [Fact]
    public void Uninstall_WithBinary_IsRefused()
    {
        var (code, _, error) = Run(_dir.Path, "--uninstall", "--binary", "/bin/true");
        Assert.Equal(1, code);
        Assert.Equal("Error: --binary goes with installing, not with --uninstall\n", error);
    }

    [Fact]
    public void Uninstall_NothingInstalled_IsAnError()
    {
        var (code, _, error) = Run(_dir.Path, "--uninstall");
        Assert.Equal(1, code);
        Assert.StartsWith($"Error: {_dir.Path}/{InstallManifest.RelativePath} not found: preinit was not installed", error);
    }
}
