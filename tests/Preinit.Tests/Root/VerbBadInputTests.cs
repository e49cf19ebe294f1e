// Every verb, every bad input a user gives: the answer is an exit status other than 0, exactly one
// line on stderr beginning "Error:" that names the thing, no stack trace, and nothing written. The
// verbs come from the command tree itself, so a new verb without cases fails the first test. The
// published binary runs as a process, each case in a mount namespace of its own (a pivot verb that
// failed to refuse could otherwise pivot the test machine), in an empty scratch directory.
using Preinit.Cli.Verbs;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public sealed class VerbBadInputTests : IDisposable
{
    /// <summary>Stands for the scratch directory in a case's arguments and expected text.</summary>
    private const string S = "{S}";

    /// <summary>Verb → (what is wrong, arguments, expected exit status, text the Error line must contain).</summary>
    private static readonly Dictionary<string, (string Case, string[] Args, int Exit, string Says)[]> Cases = new()
    {
        ["version"] = [("an argument it does not take", ["version", "extra"], 2, "Unrecognized command or argument 'extra'")],
        ["cmdline"] = [("an option without its value", ["cmdline", "--cmdline"], 2, "--cmdline")],
        ["hooks"] = [("a missing hook directory", ["hooks", "--hook-dir", $"{S}/missing"], 1,
            $"--hook-dir {S}/missing: no such hook directory")],
        ["plan"] = [("a file as the hook directory", ["plan", "--hook-dir", $"{S}/file"], 1,
            $"{S}/file is a regular file, not a hook directory")],
        ["build-root"] =
        [
            ("a missing source", ["build-root", "--from", $"{S}/missing", "--image", $"{S}/x.img"], 1,
                $"--from {S}/missing: no such directory"),
            ("a file as the source", ["build-root", "--from", $"{S}/file", "--image", $"{S}/x.img"], 1,
                $"{S}/file is a regular file, not a directory"),
            ("an image under /proc", ["build-root", "--from", $"{S}/dir", "--image", "/proc/preinit-x.img"], 1,
                "/proc is in the kernel's /proc, which takes no files"),
            ("a headroom that is no size", ["build-root", "--from", $"{S}/dir", "--image", $"{S}/x.img", "--headroom", "-5"], 1,
                "--headroom '-5' is not a size"),
        ],
        ["switch-root"] = [("a missing new root", ["switch-root", $"{S}/missing", "/sbin/init"], 1,
            $"{S}/missing: no such new root directory")],
        ["mkimage"] =
        [
            ("a missing directory", ["mkimage", $"{S}/missing", $"{S}/x.img"], 1, $"{S}/missing: no such directory"),
            ("a file for the directory", ["mkimage", $"{S}/file", $"{S}/x.img"], 1, $"{S}/file is a regular file, not a directory"),
            ("a directory for the image", ["mkimage", $"{S}/dir", $"{S}/dir"], 1,
                $"{S}/dir is a directory: give a file name for the image"),
            ("an image under /proc", ["mkimage", $"{S}/dir", "/proc/preinit-x.img"], 1, "the image /proc/preinit-x.img cannot be written"),
            ("a size that is none", ["mkimage", $"{S}/dir", $"{S}/x.img", "--size", "lots"], 1, "--size 'lots' is not a size"),
        ],
        ["mklive"] =
        [
            ("a missing rootfs", ["mklive", $"{S}/missing", $"{S}/x.iso"], 1, $"{S}/missing: no such rootfs directory or .tar.gz"),
            ("an ISO under /proc", ["mklive", $"{S}/dir", "/proc/preinit-x.iso"], 1, "the ISO /proc/preinit-x.iso cannot be written"),
        ],
        ["probe"] =
        [
            ("a missing path", ["probe", $"{S}/missing"], 2, $"{S}/missing: no such device or image file"),
            ("a directory", ["probe", $"{S}/dir"], 2, $"{S}/dir is a directory, not a block device or an image file"),
        ],
        ["find"] =
        [
            ("an empty label", ["find", "LABEL="], 2, "'LABEL=' is not a device"),
            ("a file that is no device", ["find", $"{S}/file"], 2, $"{S}/file is a regular file, not a block device"),
            ("a label nothing has", ["find", "LABEL=preinit-no-such-label"], 1, "no device matches LABEL=preinit-no-such-label"),
        ],
        ["wait"] =
        [
            ("a malformed spec", ["wait", "UUID="], 2, "'UUID=' is not a device"),
            ("a timeout that is no number", ["wait", "LABEL=x", "--timeout", "abc"], 2, "--timeout 'abc' is not a number"),
            ("a timeout out of range", ["wait", "LABEL=x", "--timeout", "-1"], 2, "--timeout -1 is not a number of seconds from 0 to 3600"),
        ],
        ["label"] =
        [
            ("a missing device", ["label", $"{S}/missing", "x"], 1, $"{S}/missing: no such device or image file"),
            ("a device without a filesystem", ["label", $"{S}/file", "x"], 1, $"{S}/file: no filesystem found; make one with a label"),
        ],
        ["modprobe"] = [("a module that does not exist", ["modprobe", "preinit_no_such_module"], 1, "preinit_no_such_module")],
        ["coldplug"] = [("an argument it does not take", ["coldplug", "extra"], 2, "Unrecognized command or argument 'extra'")],
        ["fsck"] =
        [
            ("a missing device", ["fsck", $"{S}/missing"], 8, $"{S}/missing: no such device or image file"),
            ("a directory", ["fsck", $"{S}/dir"], 8, $"{S}/dir is a directory, not a block device or an image file"),
        ],
        ["pivot-overlay"] =
        [
            ("a missing stick mount", ["pivot-overlay", $"{S}/missing"], 1, $"{S}/missing: no such directory"),
            ("a directory nothing is mounted on", ["pivot-overlay", $"{S}/dir"], 1, $"{S}/dir is a directory with nothing mounted on it"),
        ],
        ["pivot-root"] = [("a directory nothing is mounted on", ["pivot-root", $"{S}/dir"], 1,
            $"{S}/dir is a directory with nothing mounted on it")],
        ["pivot-ram"] = [("a size that is none", ["pivot-ram", "--size", "lots"], 1, "--size lots is not a size")],
        ["uci"] =
        [
            ("a missing file", ["uci", "show", $"{S}/missing"], 1, $"{S}/missing: no such UCI file"),
            ("a directory", ["uci", "export", $"{S}/dir"], 1, $"{S}/dir is a directory, not a UCI file"),
        ],
        ["hotplug"] = [("a directory as the fstab", ["hotplug", "--fstab", $"{S}/dir"], 1, $"{S}/dir is a directory, not a fstab")],
        ["extroot"] = [("a missing fstab", ["extroot", "--fstab", $"{S}/missing", "--cmdline", ""], 1, $"{S}/missing: no such fstab")],
        ["mount"] =
        [
            ("a missing fstab", ["mount", "--fstab", $"{S}/missing"], 1, $"{S}/missing: no such fstab"),
            ("a missing fstab, dry run", ["mount", "--fstab", $"{S}/missing", "--dry-run"], 1, $"{S}/missing: no such fstab"),
        ],
        ["failsafe"] = [("a missing hook directory", ["failsafe", "--hook-dir", $"{S}/missing"], 1,
            $"--hook-dir {S}/missing: no such hook directory")],
        ["run-hook"] = [("a hook that does not exist", ["run-hook", "preinit_no_such_hook"], 1, "no hook 'preinit_no_such_hook'")],
        ["netmsg"] = [("an interface that does not exist", ["netmsg", "preinit-nosuch", "hello"], 1,
            "there is no network interface preinit-nosuch")],
        ["install"] =
        [
            ("a missing rootfs", ["install", $"{S}/missing"], 1, $"{S}/missing: no such directory"),
            ("a file as the rootfs", ["install", $"{S}/file"], 1, $"{S}/file is not a directory"),
        ],
        ["stick"] = [("a missing image", ["stick", $"{S}/missing.iso", $"{S}/stick.img"], 1, $"{S}/missing.iso: no such image file")],
        ["persist"] = [("an empty label", ["persist", "LABEL="], 1, "")],
        ["log"] = [("a missing directory", ["log", "--from", $"{S}/missing"], 1, $"--from {S}/missing")],
    };

    private readonly Scratch _scratch = new();

    public VerbBadInputTests()
    {
        File.WriteAllText(Path.Combine(_scratch.Path, "file"), "not a directory, a device or a filesystem\n");
        Directory.CreateDirectory(Path.Combine(_scratch.Path, "dir"));
    }

    public void Dispose() => _scratch.Dispose();

    public static IEnumerable<object[]> AllCases()
    {
        foreach (var (verb, cases) in Cases)
            foreach (var c in cases) yield return [verb, c.Case];
    }

    [Fact]
    public void EveryVerb_HasBadInputCases()
    {
        var verbs = VerbCommands.Root().Subcommands.Select(c => c.Name).Order().ToList();
        Assert.Equal(verbs, Cases.Keys.Order().ToList());
    }

    [RootTheory]
    [MemberData(nameof(AllCases))]
    public void BadInput_ExitsNonZeroWithOneErrorLine_NoStackTrace_NothingWritten(string verb, string what)
    {
        var c = Cases[verb].Single(x => x.Case == what);
        var (exit, _, error) = Run(c.Args.Select(Expand));

        Assert.True(exit == c.Exit, $"preinit {verb} with {what}: exit {exit}, expected {c.Exit}. stderr:\n{error}");
        AssertOneErrorLine(error, Expand(c.Says));
    }

    /// <summary>A file only root may read, read by another user: the verb says permission is denied.</summary>
    [RootTheory]
    [InlineData("uci", "show")]
    [InlineData("probe")]
    public void UnreadableFile_AsAnotherUser_SaysPermissionDenied(params string[] verb)
    {
        var secret = Path.Combine(_scratch.Path, "secret");
        File.WriteAllText(secret, "config x\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(_scratch.Path, (UnixFileMode)0b111_101_101);

        var (exit, _, error) = Tools.Capture("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Paths.PublishedBinary, .. verb,
            secret],
            _scratch.Path);

        Assert.NotEqual(0, exit);
        AssertOneErrorLine(error, $"{secret}: permission denied");
    }

    /// <summary>What a chroot of the published binary lacks (e2fsprogs, xorriso, the kernel's modules) is named, with the package
    /// or the command that brings it, in one Error line; exit 8 for fsck (no check happened), 1 for the rest.</summary>
    [RootTheory]
    [InlineData("fsck /ext4.img", 8, "/ext4.img was not checked: e2fsck or e2fsck.static not found", "install e2fsprogs")]
    [InlineData("stick /live.iso /stick.img --persistence 16M --yes", 1, "mke2fs", "e2fsprogs")]
    [InlineData("mklive /dir /out.iso", 1, "xorriso", "apt-get install xorriso")]
    [InlineData("modprobe loop", 1, "has neither modules.dep nor kernel modules", "run depmod")]
    [InlineData("coldplug", 1, "no drivers can be loaded", "run depmod")]
    public void MissingToolOrModuleIndex_IsNamedWithWhatBringsIt(string command, int status, string says, string fix)
    {
        var root = Path.Combine(_scratch.Path, "root");
        PreinitChroot.Make(root);
        Directory.CreateDirectory(Path.Combine(root, "dir"));
        using (var f = File.Create(Path.Combine(root, "ext4.img"))) f.SetLength(8 << 20);
        Tools.Run("mkfs.ext4", "-q", "-F", Path.Combine(root, "ext4.img"));
        if (command.StartsWith("stick", StringComparison.Ordinal)) File.Copy(Paths.LiveIso, Path.Combine(root, "live.iso"));

        var (exit, output) = PreinitChroot.Run(root, command.Split(' '));

        Assert.True(exit == status, $"preinit {command}: exit {exit}, expected {status}:\n{output}");
        AssertOneErrorLine(output, says);
        Assert.Contains(fix, output);
    }

    private string Expand(string text) => text.Replace(S, _scratch.Path);

    private (int Exit, string Output, string Error) Run(IEnumerable<string> args, string? path = null)
    {
        var before = Directory.GetFileSystemEntries(_scratch.Path).Order().ToList();
        var result = Tools.Capture("unshare", ["--mount", "--propagation", "private", Paths.PublishedBinary, .. args], _scratch.Path,
            path is null ? null : new Dictionary<string, string?> { ["PATH"] = path });
        Assert.Equal(before, Directory.GetFileSystemEntries(_scratch.Path).Order().ToList());
        return (result.Exit, result.Output, result.Error);
    }

    private static void AssertOneErrorLine(string error, string says)
    {
        var lines = error.Split('\n');
        var errors = lines.Where(l => l.StartsWith("Error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one Error: line, got {errors.Count}:\n{error}");
        Assert.Contains(says, errors[0]);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Unhandled exception"));
    }
}
