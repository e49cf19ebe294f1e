// restore_config's archive: archives built in memory with every member type, every spelling of a
// name, escapes that must not work, and archives cut short or damaged, restored over a temp root.
using System.Formats.Tar;
using Preinit.Boot.Restore;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;
using static Preinit.Tests.Support.TarGz;

namespace Preinit.Tests.Unit.Restore;

public sealed class SysupgradeArchiveTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _log = [];

    private string Root => Directory.CreateDirectory(_dir.File("root")).FullName;
    private string Outside => Directory.CreateDirectory(_dir.File("outside")).FullName;
    private string Archive => _dir.File("sysupgrade.tgz");

    public void Dispose() => _dir.Dispose();

    private RestoreResult Restore() => SysupgradeArchive.Restore(Archive, Root, _log.Add);

    private string InRoot(string relative) => Path.Combine(Root, relative);

    [Fact]
    public void Restore_EveryMemberType_IsRestoredWithModeAndTime_AndTheArchiveRemoved()
    {
        var asRoot = Libc.Geteuid() == 0;
        var members = new List<TarEntry>
        {
            Dir("etc/", (UnixFileMode)0b111_101_000),
            Dir("etc/config/"),
            RegularFile("etc/config/network", "config interface 'lan'\n", (UnixFileMode)0b110_000_000),
            RegularFile("etc/dropbear/authorized_keys", "ssh-ed25519 AAAA\n"),
            RegularFile("usr/bin/helper", "#!/bin/sh\n", (UnixFileMode)0b100_111_101_101),
            Symlink("etc/localtime", "/usr/share/zoneinfo/UTC"),
            HardLink("etc/config/network.copy", "etc/config/network"),
            Node(TarEntryType.Fifo, "etc/fifo"),
        };
        // mknod of a device needs CAP_MKNOD: only root can check it.
        if (asRoot) members.Add(Node(TarEntryType.CharacterDevice, "etc/null", 1, 3));
        Write(Archive, [.. members]);

        var result = Restore();

        Assert.True(result.Complete, string.Join("\n", result.Problems));
        Assert.Equal((3, 2, 2, asRoot ? 2 : 1, 0), (result.Files, result.Directories, result.Links, result.Nodes, result.Skipped));
        Assert.False(File.Exists(Archive));
        Assert.Equal("config interface 'lan'\n", File.ReadAllText(InRoot("etc/config/network")));
        AssertMode(InRoot("etc/config/network"), 0b110_000_000);
        AssertMode(InRoot("usr/bin/helper"), 0b100_111_101_101);
        AssertMode(InRoot("etc"), 0b111_101_000);
        Assert.Equal("/usr/share/zoneinfo/UTC", Libc.Readlink(InRoot("etc/localtime")));
        Assert.Equal(Libc.Lstat(InRoot("etc/config/network")).stx_ino, Libc.Lstat(InRoot("etc/config/network.copy")).stx_ino);
        Assert.Equal(Libc.S_IFIFO, Libc.Lstat(InRoot("etc/fifo")).FileType);
        if (asRoot)
        {
            var node = Libc.Lstat(InRoot("etc/null"));
            Assert.Equal((Libc.S_IFCHR, 1u, 3u), (node.FileType, node.stx_rdev_major, node.stx_rdev_minor));
        }
        // Directories get their time after everything was written into them.
        foreach (var path in new[] { "etc", "etc/config", "etc/config/network", "etc/localtime", "usr/bin/helper" })
            Assert.Equal(Time.ToUnixTimeSeconds(), Libc.Lstat(InRoot(path)).stx_mtime.tv_sec);
        Assert.Contains("restored etc/config/network", _log);
        Assert.Contains("restored etc/localtime -> /usr/share/zoneinfo/UTC", _log);
        Assert.Contains(_log, l => l.Contains("archive removed"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root, ".preinit-restore*", SearchOption.AllDirectories));
    }

    /// <summary>The restorer's temporary names are its own: members named like the old fixed one (a file, and a
    /// directory with members after it) are restored like any other.</summary>
    [Fact]
    public void Restore_MembersNamedLikeATemporaryName_AreRestoredAndKept()
    {
        Write(Archive,
            RegularFile(".preinit-restore.tmp", "a file of that name\n"),
            Dir("etc/.preinit-restore.tmp/"),
            RegularFile("etc/.preinit-restore.tmp/inside", "inside\n"),
            RegularFile("etc/after", "after\n"));

        var result = Restore();

        Assert.True(result.Complete, string.Join("\n", result.Problems));
        Assert.Equal("a file of that name\n", File.ReadAllText(InRoot(".preinit-restore.tmp")));
        Assert.Equal("inside\n", File.ReadAllText(InRoot("etc/.preinit-restore.tmp/inside")));
        Assert.Equal("after\n", File.ReadAllText(InRoot("etc/after")));
    }

    [Fact]
    public void Restore_DotSlashAndAbsoluteNames_LandBelowTheRoot()
    {
        Write(Archive, Dir("./"), RegularFile("./etc/a", "a"), RegularFile("/etc/b", "b"), RegularFile("//etc/./c", "c"));

        var result = Restore();

        Assert.True(result.Complete, string.Join("\n", result.Problems));
        Assert.Equal(["a", "b", "c"], new[] { "etc/a", "etc/b", "etc/c" }.Select(p => File.ReadAllText(InRoot(p))));
        Assert.Contains("./: the root itself, left as it is", _log);
    }

    [Fact]
    public void Restore_ExistingFile_IsReplacedWhole_AndItsOldModeGoes()
    {
        Directory.CreateDirectory(InRoot("etc"));
        File.WriteAllText(InRoot("etc/passwd"), "old contents, longer than the new ones\n");
        Libc.Chmod(InRoot("etc/passwd"), 0b111_111_111);
        Write(Archive, RegularFile("etc/passwd", "root:x:0:0\n"));

        Assert.True(Restore().Complete);
        Assert.Equal("root:x:0:0\n", File.ReadAllText(InRoot("etc/passwd")));
        AssertMode(InRoot("etc/passwd"), 0b110_100_100);
    }

    [Theory]
    [InlineData("../escaped")]
    [InlineData("etc/../../escaped")]
    [InlineData("/../escaped")]
    public void Restore_DotDotName_IsRefused_TheRestRestored_AndTheArchiveKeptAsFailed(string name)
    {
        var outside = Outside;
        Write(Archive, RegularFile("etc/before", "1"), RegularFile(name.Replace("escaped", "outside/escaped"), "x"),
            RegularFile("etc/after", "2"));

        var result = Restore();

        Assert.False(result.Complete);
        Assert.Equal((2, 1), (result.Files, result.Skipped));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Contains("'..'", Assert.Single(result.Problems));
        Assert.True(File.Exists(InRoot("etc/after")));
        Assert.Equal((ArchiveFate.RenamedFailed, Archive + ".failed"), (result.Fate, result.FailedPath));
        Assert.True(File.Exists(Archive + ".failed"));
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public void Restore_MemberThroughASymlinkItMade_IsRefused_SoNothingLandsOutside()
    {
        var outside = Outside;
        Write(Archive,
            Symlink("etc", outside),
            RegularFile("etc/passwd", "evil::0:0\n"),
            Symlink("relative", "../outside"),
            RegularFile("relative/shadow", "evil\n"),
            HardLink("hard", "etc/passwd"),
            Dir("etc/sub/"));

        var result = Restore();

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal((0, 2, 4), (result.Files, result.Links, result.Skipped));
        Assert.Contains(result.Problems, p => p.StartsWith("etc/passwd: its parent etc is a symbolic link (to " + outside + ")"));
        Assert.Contains(result.Problems, p => p.StartsWith("relative/shadow: its parent relative is a symbolic link"));
        Assert.Contains(result.Problems, p => p.StartsWith("hard: its target 'etc/passwd': its parent etc is a symbolic link"));
        Assert.Equal(ArchiveFate.RenamedFailed, result.Fate);
    }

    [Fact]
    public void Restore_SymlinkAlreadyInTheRoot_IsNotFollowedEither()
    {
        var outside = Outside;
        Libc.Symlink(outside, InRoot("var"));
        Write(Archive, RegularFile("var/run/x", "x"), RegularFile("var", "replaces the link itself"));

        var result = Restore();

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Contains("var/run/x: its parent var is a symbolic link", Assert.Single(result.Problems));
        // A file member named like the link replaces the link, never what it points at.
        Assert.Equal(Libc.S_IFREG, Libc.Lstat(InRoot("var")).FileType);
    }

    [Fact]
    public void Restore_FileWhereADirectoryIs_LeavesTheDirectory()
    {
        Directory.CreateDirectory(InRoot("etc/config"));
        File.WriteAllText(InRoot("etc/config/keep"), "keep");
        Write(Archive, RegularFile("etc/config", "not a directory"), Symlink("etc/config", "/tmp"));

        var result = Restore();

        Assert.Equal(2, result.Skipped);
        Assert.All(result.Problems, p => Assert.Contains("is a directory: not replaced", p));
        Assert.Equal("keep", File.ReadAllText(InRoot("etc/config/keep")));
    }

    [Theory]
    [InlineData(1, "ends without its gzip trailer (truncated after entry 3 'etc/c')")]
    [InlineData(8, "ends without its gzip trailer (truncated after entry 3 'etc/c')")]
    [InlineData(40, "is truncated or corrupt in ")]
    [InlineData(0, "is truncated or corrupt in the data of entry 2 'etc/b': the data ends after ")]
    public void Restore_TruncatedGzip_RestoresNothing_AndSaysWhere(int cut, string expected)
    {
        var full = Gzip(Tar(RegularFile("etc/a", new string('a', 5000)), RegularFile("etc/b", RandomText(20000)),
            RegularFile("etc/c", "c")));
        File.WriteAllBytes(Archive, full[..(cut > 0 ? full.Length - cut : full.Length / 2)]);

        var result = Restore();

        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        Assert.StartsWith($"{Archive} {expected}", Assert.Single(result.Problems));
        Assert.Equal(ArchiveFate.RenamedFailed, result.Fate);
        Assert.Contains(_log, l => l.Contains("archive kept as " + Archive + ".failed"));
    }

    [Fact]
    public void Restore_CorruptTarHeader_RestoresNothing_AndNamesTheEntryBefore()
    {
        var tar = Tar(RegularFile("etc/a", "a"), RegularFile("etc/b", "b"));
        // The second header starts after the first header and its one block of data; its size field
        // (offset 124) becomes text that is no number.
        "garbage!"u8.CopyTo(tar.AsSpan(1024 + 124));
        File.WriteAllBytes(Archive, Gzip(tar));

        var result = Restore();

        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        Assert.Contains($"{Archive} is truncated or corrupt in the header after entry 1 'etc/a'", Assert.Single(result.Problems));
    }

    [Fact]
    public void Restore_DamagedGzipData_IsSaidInWords()
    {
        var bytes = Gzip(Tar(RegularFile("etc/a", RandomText(3000))));
        bytes[^6] ^= 0xff; // inside the CRC-32 of the trailer
        File.WriteAllBytes(Archive, bytes);

        var result = Restore();

        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        Assert.Contains("the gzip data is damaged", Assert.Single(result.Problems));
    }

    [Fact]
    public void Restore_NotGzipAtAll_IsRefused()
    {
        File.WriteAllText(Archive, "this is not an archive, just some text long enough\n");

        var result = Restore();

        Assert.Contains("the first header: the gzip data is damaged", Assert.Single(result.Problems));
        Assert.Equal(ArchiveFate.RenamedFailed, result.Fate);
    }

    [Fact]
    public void Restore_NoArchive_DoesNothing()
    {
        Assert.Equal(ArchiveFate.NotFound, Restore().Fate);
        Assert.Empty(_log);
    }

    [Fact]
    public void Restore_AnEarlierFailedArchive_IsReplacedByTheNewOne()
    {
        File.WriteAllText(Archive + ".failed", "old");
        Write(Archive, RegularFile("../x", "x"));

        Assert.Equal(ArchiveFate.RenamedFailed, Restore().Fate);
        Assert.NotEqual("old", File.ReadAllText(Archive + ".failed"));
    }

    private static void AssertMode(string path, uint mode) =>
        Assert.Equal(Convert.ToString(mode, 8), Convert.ToString(Libc.Lstat(path).stx_mode & 0xFFF, 8));

    private static string RandomText(int length)
    {
        var random = new Random(length);
        return new string(Enumerable.Range(0, length).Select(_ => (char)random.Next(33, 127)).ToArray());
    }
}
