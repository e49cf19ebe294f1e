// `preinit install` on rootfs trees of every shape in a temp directory: what it puts where, what it
// leaves alone, and that --uninstall gives back the very tree it started from (paths, types,
// modes, owners, times, link targets, content).
using Preinit.Boot.Install;
using Preinit.Boot.Stages;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Install;

public sealed class RootfsInstallerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _lines = [];

    /// <summary>A small dynamic executable of this machine stands in for preinit: what matters is its ELF headers.</summary>
    private readonly string _binary;

    public RootfsInstallerTests()
    {
        _binary = _dir.File("preinit-under-test");
        File.Copy("/bin/true", _binary);
    }

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.File("rootfs");

    private string In(string relative) => Path.Combine(Root, relative);

    private void Install(string? binary = null) => RootfsInstaller.Install(Root, binary ?? _binary, _lines.Add);

    private int Uninstall() => RootfsUninstaller.Uninstall(Root, _lines.Add);

    /// <summary>The rootfs shapes the round trip runs on.</summary>
    public static TheoryData<string> Shapes =>
        ["bare", "openwrt", "openwrt-procd", "has-libc", "merged-usr", "has-fstab-and-conf", "has-other-preinit"];

    private void Make(string shape)
    {
        Directory.CreateDirectory(In("etc"));
        Write("etc/passwd", "root:x:0:0:root:/root:/bin/ash\n", 0b110_100_100);
        switch (shape)
        {
            case "openwrt" or "openwrt-procd":
                Directory.CreateDirectory(In("sbin"));
                if (shape == "openwrt-procd")
                {
                    Write("sbin/procd", "procd stands in here", 0b111_101_101);
                    Write("sbin/init", "procd's init stands in here", 0b111_101_101);
                }
                Directory.CreateDirectory(In("lib/preinit"));
                Write("etc/preinit", "#!/bin/sh\n. /lib/functions/preinit.sh\n", 0b111_101_101);
                Write("init", "#!/bin/sh\nexec /sbin/init\n", 0b111_101_101);
                Write("lib/preinit/10_indicate_preinit", "preinit_ip() { :; }\n", 0b110_100_100);
                Directory.CreateDirectory(In("etc/config"));
                Write("etc/config/fstab", "config global\n\toption anon_swap '0'\n", 0b110_100_100);
                break;
            case "has-libc":
                Directory.CreateDirectory(In("lib/x86_64-linux-gnu"));
                Directory.CreateDirectory(In("lib64"));
                Write("lib/x86_64-linux-gnu/libc.so.6", "the rootfs's own libc", 0b111_101_101);
                Write("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "the rootfs's own loader", 0b111_101_101);
                Libc.Symlink("../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", In("lib64/ld-linux-x86-64.so.2"));
                break;
            case "merged-usr":
                foreach (var d in new[] { "usr/lib", "usr/sbin", "usr/bin" }) Directory.CreateDirectory(In(d));
                Libc.Symlink("usr/lib", In("lib"));
                Libc.Symlink("usr/sbin", In("sbin"));
                Libc.Symlink("usr/bin", In("bin"));
                // Absolute, and leading to a directory the rootfs does not have: it must resolve inside the rootfs.
                Libc.Symlink("/usr/lib64", In("lib64"));
                break;
            case "has-fstab-and-conf":
                Directory.CreateDirectory(In("etc/config"));
                Directory.CreateDirectory(In("lib/preinit"));
                Write("etc/config/fstab", "config mount\n\toption target '/overlay'\n\toption uuid '1234'\n\toption enabled '1'\n",
                    0b110_000_000);
                Write("lib/preinit/00_preinit.conf", "headroom=8M\n", 0b110_100_100);
                break;
            case "has-other-preinit":
                Directory.CreateDirectory(In("sbin"));
                Write("sbin/preinit", "an older preinit", 0b111_101_101);
                Libc.Symlink("sbin/preinit", In("init"));
                break;
        }
        SetTimes(Root);
    }

    private void Write(string relative, string content, uint mode)
    {
        File.WriteAllText(In(relative), content);
        Libc.Chmod(In(relative), mode);
    }

    /// <summary>Old times everywhere, so that a time install changed and uninstall did not put back shows.</summary>
    private static void SetTimes(string root)
    {
        var time = new timespec { tv_sec = 1_300_000_000, tv_nsec = 123_456_789 };
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
            Libc.Lutimes(path, time, time);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InstallThenUninstall_GivesBackTheSameTree(string shape)
    {
        Make(shape);
        var before = TreeSnapshot.Of(Root);

        Install();
        Assert.Equal("sbin/preinit", Libc.Readlink(In("init")));
        if (shape == "openwrt-procd") Assert.Equal(ProcdInit.PreinitScript, File.ReadAllText(In("etc/preinit")));
        else Assert.Equal("../sbin/preinit", Libc.Readlink(In("etc/preinit")));
        Assert.Equal(File.ReadAllBytes(_binary), File.ReadAllBytes(In("sbin/preinit")));
        Assert.True(File.Exists(In(InstallManifest.RelativePath)));
        var installed = TreeSnapshot.Of(Root);
        Assert.NotEqual(before, installed);

        Assert.Equal(0, Uninstall());
        Assert.Equal(before, TreeSnapshot.Of(Root));
    }

    [Fact]
    public void Install_BareRootfs_PutsEverythingInPlace()
    {
        Make("bare");

        Install();

        var mode = Convert.ToString(Libc.Lstat(In("sbin/preinit")).stx_mode & 0xFFF, 8);
        Assert.Equal("755", mode);
        Assert.True(File.Exists(In("lib64/ld-linux-x86-64.so.2")));
        Assert.Equal(File.ReadAllBytes("/lib/x86_64-linux-gnu/libc.so.6"), File.ReadAllBytes(In("lib/x86_64-linux-gnu/libc.so.6")));
        Assert.Equal(File.ReadAllText(Path.Combine(Paths.Repository, "rootfs-overlay/lib/preinit/00_preinit.conf")),
            File.ReadAllText(In("lib/preinit/00_preinit.conf")));
        Assert.Equal(File.ReadAllText(Path.Combine(Paths.Repository, "rootfs-overlay/etc/config/fstab")),
            File.ReadAllText(In("etc/config/fstab")));
        Assert.Contains($"installed  {In("sbin/preinit")}: {new FileInfo(_binary).Length} bytes from {_binary}", _lines);
        Assert.Contains($"linked     {In("init")}: -> sbin/preinit", _lines);
        Assert.Contains(_lines, l => l.StartsWith($"recorded   {In(InstallManifest.RelativePath)}"));
    }

    [Fact]
    public void Install_OpenWrtRootfs_MovesItsPreinitAside_AndLeavesItsFstabButSaysWhatToAdd()
    {
        Make("openwrt");

        Install();

        Assert.Equal("#!/bin/sh\n. /lib/functions/preinit.sh\n", File.ReadAllText(In("etc/preinit" + RootfsInstaller.BackupSuffix)));
        Assert.Equal("#!/bin/sh\nexec /sbin/init\n", File.ReadAllText(In("init" + RootfsInstaller.BackupSuffix)));
        Assert.Contains($"moved      {In("etc/preinit")}: to {In("etc/preinit.preinit-orig")}, put back by --uninstall", _lines);
        Assert.Equal("config global\n\toption anon_swap '0'\n", File.ReadAllText(In("etc/config/fstab")));
        var fstab = Assert.Single(_lines, l => l.Contains(In("etc/config/fstab")));
        Assert.Contains("with no extroot entry: not edited. For the stick labelled rootfs_data, add:\n    config mount\n" +
            "    \toption target\t/storage\n", fstab);
        Assert.Contains("    \toption is_rootfs 1", fstab);
    }

    [Fact]
    public void Install_ProcdRootfs_WritesTheScriptProcdsInitRuns_AndMovesOpenWrtsAside()
    {
        Make("openwrt-procd");

        Install();

        Assert.Equal(ProcdInit.PreinitScript, File.ReadAllText(In("etc/preinit")));
        Assert.Equal("755", Convert.ToString(Libc.Lstat(In("etc/preinit")).stx_mode & 0xFFF, 8));
        Assert.Equal("#!/bin/sh\n. /lib/functions/preinit.sh\n", File.ReadAllText(In("etc/preinit" + RootfsInstaller.BackupSuffix)));
        Assert.Contains($"found      {In("sbin/procd")}: procd's init runs /etc/preinit as its child, so it is a script", _lines);
        Assert.Contains($"installed  {In("etc/preinit")}: {ProcdInit.PreinitScript.Length} bytes for procd's init", _lines);

        _lines.Clear();
        Install();
        Assert.Contains($"unchanged  {In("etc/preinit")}: already installed", _lines);
    }

    [Fact]
    public void Install_ProcdAddedAfterAnInstall_SaysToUninstallFirst_AndChangesNothing()
    {
        Make("openwrt");
        Install();
        Write("sbin/procd", "procd stands in here", 0b111_101_101);
        var before = TreeSnapshot.Of(Root);

        var e = Assert.Throws<InstallException>(() => Install());

        Assert.Contains($"{In("etc/preinit")} is a link to preinit from an earlier install, made when the rootfs had no procd: " +
            $"run `preinit install --uninstall {Root}`, then install again", e.Message);
        Assert.Equal("../sbin/preinit", Libc.Readlink(In("etc/preinit")));
        Assert.Equal(0, Uninstall());
        Assert.False(File.Exists(In("sbin/preinit")));
    }

    [Fact]
    public void Install_RootfsWithItsOwnLibcAndSettings_KeepsThem()
    {
        Make("has-libc");
        Directory.CreateDirectory(In("lib/preinit"));
        Write("lib/preinit/00_preinit.conf", "headroom=8M\n", 0b110_100_100);

        Install();

        Assert.Equal("the rootfs's own libc", File.ReadAllText(In("lib/x86_64-linux-gnu/libc.so.6")));
        Assert.Equal("the rootfs's own loader", File.ReadAllText(In("lib64/ld-linux-x86-64.so.2")));
        Assert.Equal("headroom=8M\n", File.ReadAllText(In("lib/preinit/00_preinit.conf")));
        Assert.Contains($"kept       {In("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")}: the rootfs has its own", _lines);
        Assert.Contains($"kept       {In("lib/preinit/00_preinit.conf")}: the rootfs has its own settings", _lines);
        // /bin/true needs only the loader and libc; a rootfs that has both gets nothing of this machine's glibc.
        Assert.DoesNotContain(_lines, l => l.StartsWith("warning"));
    }

    [Fact]
    public void Install_RootfsWithSomeGlibcFiles_WarnsThatBuildsMayNotMix()
    {
        Make("bare");
        Directory.CreateDirectory(In("lib/x86_64-linux-gnu"));
        Write("lib/x86_64-linux-gnu/libc.so.6", "the rootfs's own libc", 0b111_101_101);

        Install();

        Assert.Contains($"warning    {Root}: it has its own libc.so.6 but not ld-linux-x86-64.so.2, copied from this machine; " +
            $"files of two glibc builds may not work together: check with `chroot {Root} /sbin/preinit version`", _lines);
    }

    [Fact]
    public void Install_FstabWithAnExtrootEntry_IsKeptAndNamed()
    {
        Make("has-fstab-and-conf");

        Install();

        Assert.Contains($"kept       {In("etc/config/fstab")}: the rootfs has its own, with an extroot entry " +
            "(fstab.@mount[0]: UUID=1234 on /overlay)", _lines);
    }

    [Fact]
    public void Install_MergedUsrWithAnAbsoluteLink_WritesInsideTheRootfs()
    {
        Make("merged-usr");

        Install();

        Assert.True(File.Exists(In("usr/sbin/preinit")));
        Assert.True(File.Exists(In("usr/lib64/ld-linux-x86-64.so.2")));
        Assert.True(File.Exists(In("usr/lib/x86_64-linux-gnu/libc.so.6")));
        Assert.Equal("/usr/lib64", Libc.Readlink(In("lib64")));
    }

    [Fact]
    public void Install_Twice_SaysAlreadyInstalled_AndUpdatesTheBinary()
    {
        Make("openwrt");
        var before = TreeSnapshot.Of(Root);
        Install();
        _lines.Clear();

        Install();
        Assert.Contains($"already installed in {Root}: updating what changed", _lines);
        Assert.Contains($"unchanged  {In("sbin/preinit")}: already installed", _lines);
        Assert.DoesNotContain(_lines, l => l.StartsWith("moved") || l.StartsWith("created") || l.StartsWith("linked"));

        var newer = _dir.File("newer-preinit");
        File.Copy("/bin/false", newer);
        Install(newer);
        Assert.Equal(File.ReadAllBytes(newer), File.ReadAllBytes(In("sbin/preinit")));
        Assert.Contains(_lines, l => l.StartsWith($"updated    {In("sbin/preinit")}: "));

        Assert.Equal(0, Uninstall());
        Assert.Equal(before, TreeSnapshot.Of(Root));
    }

    [Fact]
    public void Uninstall_FileChangedSinceInstall_IsKeptAndReported()
    {
        Make("bare");
        Install();
        File.AppendAllText(In("lib/preinit/00_preinit.conf"), "headroom=16M\n");

        Assert.Equal(3, Uninstall());

        Assert.Contains("headroom=16M", File.ReadAllText(In("lib/preinit/00_preinit.conf")));
        Assert.Contains($"kept       {In("lib/preinit/00_preinit.conf")}: changed since preinit was installed", _lines);
        Assert.Contains($"kept       {In("lib/preinit")}: directory, not empty", _lines);
        Assert.Contains($"kept       {In("lib")}: directory, not empty", _lines);
        Assert.False(File.Exists(In("sbin/preinit")));
        Assert.False(File.Exists(In(InstallManifest.RelativePath)));
    }

    [Fact]
    public void Uninstall_WithoutManifest_SaysThereIsNothingToUndo()
    {
        Make("bare");
        var e = Assert.Throws<InstallException>(() => Uninstall());
        Assert.Equal($"{In(InstallManifest.RelativePath)} not found: preinit was not installed in {Root} by `preinit install` " +
            "(or is uninstalled already), so there is nothing to undo", e.Message);
    }

    [Fact]
    public void Install_BackupNameTaken_StopsBeforeMovingAnything()
    {
        Make("openwrt");
        Write("etc/preinit.preinit-orig", "someone's own backup", 0b110_100_100);

        var e = Assert.Throws<InstallException>(() => Install());

        Assert.StartsWith($"{In("etc/preinit")} is in the way and {In("etc/preinit.preinit-orig")} exists already " +
            "(from an earlier install?): put it back or remove it, then install again", e.Message);
        Assert.EndsWith($"`preinit install --uninstall {Root}` undoes it", e.Message);
        Assert.Equal("someone's own backup", File.ReadAllText(In("etc/preinit.preinit-orig")));
        Assert.StartsWith("#!/bin/sh", File.ReadAllText(In("etc/preinit")));
    }

    [Fact]
    public void Install_DamagedManifest_NamesTheLine()
    {
        Make("bare");
        Install();
        File.AppendAllText(In(InstallManifest.RelativePath), "bogus\tline\n");

        var e = Assert.Throws<InstallException>(() => Uninstall());
        Assert.Contains(".preinit-install:", e.Message);
        Assert.Contains("'bogus\tline' is not a line preinit install writes: the install record is damaged", e.Message);
    }

    [Fact]
    public void Manifest_FormatThenParse_GivesTheSameEntries()
    {
        var manifest = new InstallManifest();
        manifest.Record(new DirectoryTimes("", new timespec { tv_sec = 1, tv_nsec = 2 }, new timespec { tv_sec = 3, tv_nsec = 4 },
            new timespec { tv_sec = 5, tv_nsec = 6 }));
        manifest.Record(new CreatedDirectory("sbin"));
        manifest.Record(new CreatedFile("sbin/preinit", 42, "ab"));
        manifest.Record(new CreatedLink("init", "sbin/preinit"));
        manifest.Record(new MovedAside("etc/preinit", "etc/preinit.preinit-orig"));

        Assert.Equal(manifest.Entries, InstallManifest.Parse(manifest.Format(), "m").Entries);
    }
}
