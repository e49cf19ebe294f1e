// --conf names a settings file, read without a shell: the files beside it are never run. Other
// packages' hook files come from --hook-dir (default /lib/preinit), and plan and hooks, which only
// show things, source them only when asked.
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public sealed class HookDirectoryVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-hookdir.").FullName;
    private string Marker => Path.Combine(_dir, "ran");

    public HookDirectoryVerbTests()
    {
        File.WriteAllText(Path.Combine(_dir, "00_preinit.conf"), "pi_ip=10.0.0.1\n");
        File.WriteAllText(Path.Combine(_dir, "50_pkg"), $"touch {Marker}\npkg_main() {{ :; }}\nboot_hook_add preinit_main pkg_main\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("plan")]
    [InlineData("hooks")]
    public void Conf_NeverRunsTheFilesBesideIt(string verb)
    {
        var (code, output, _) = Verbs.Run(verb, "--cmdline", "", "--conf", Path.Combine(_dir, "00_preinit.conf"));

        Assert.Equal(0, code);
        Assert.False(File.Exists(Marker), "a file next to the conf was run");
        Assert.DoesNotContain("pkg_main", output);
    }

    [Fact]
    public void Hooks_HookDir_NamesTheFilesWithoutRunningThem_UntilAsked()
    {
        var (_, output, error) = Verbs.Run("hooks", "--cmdline", "", "--hook-dir", _dir);
        Assert.False(File.Exists(Marker));
        Assert.DoesNotContain("pkg_main", output);
        Assert.Contains($"1 hook file(s) of other packages in {_dir} not read: they are shell code", error);

        var (_, sourced, _) = Verbs.Run("hooks", "--cmdline", "", "--hook-dir", _dir, "--source-hook-files");
        Assert.Contains("pkg_main", sourced);
        Assert.Contains("50_pkg", sourced);
    }
}
