// Archives made the way sysupgrade -b makes them, by the real tools: GNU tar (`tar czf x.tgz -C /
// etc/config ...`), busybox tar (what OpenWrt itself runs) and GNU tar's POSIX format. Restored over
// an empty root, the tree must come back as it was packed.
using Preinit.Boot.Restore;
using Preinit.Interop;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Restore;

public class RealTarArchiveTests
{
    public static TheoryData<string[]> Tools => new()
    {
        new[] { "tar" },
        new[] { "tar", "--format=posix" },
        new[] { "busybox", "tar" },
    };

    [Theory]
    [MemberData(nameof(Tools))]
    public void Restore_ArchiveMadeByTar_GivesBackTheTreeThatWasPacked(string[] tool)
    {
        Tier.Require(Tier.Which(tool[0]) is null ? $"{tool[0]} not installed" : null);
        using var dir = new TempDir();
        var source = Directory.CreateDirectory(dir.File("source")).FullName;
        var root = Directory.CreateDirectory(dir.File("root")).FullName;
        MakeConfiguration(source);
        var archive = dir.File("sysupgrade.tgz");
        Support.Tools.Run(tool[0], [.. tool[1..], "-c", "-z", "-f", archive, "-C", source, "etc/config", "etc/passwd", "etc/shadow",
            "etc/dropbear", "etc/rc.local"]);

        var log = new List<string>();
        var result = SysupgradeArchive.Restore(archive, root, log.Add);

        Assert.True(result.Complete, string.Join("\n", log));
        // etc itself is not in the archive (it was not named): it is made, so its time is today's.
        Assert.Equal(Without(TreeSnapshot.Of(Path.Combine(source, "etc")), "."), Without(TreeSnapshot.Of(Path.Combine(root, "etc")), "."));
        Assert.Equal((7, 2), (result.Files, result.Links));
    }

    private static void MakeConfiguration(string source)
    {
        var config = Directory.CreateDirectory(Path.Combine(source, "etc/config")).FullName;
        Write(Path.Combine(config, "network"), "config interface 'lan'\n\toption proto 'static'\n", 0b110_100_100, 1_300_000_001);
        Write(Path.Combine(config, "wireless"), "config wifi-device 'radio0'\n", 0b110_000_000, 1_300_000_002);
        // Longer than the 100 bytes of a ustar name field, and not ASCII.
        Write(Path.Combine(config, new string('n', 120) + "-ünïcode"), "long\n", 0b110_100_100, 1_300_000_003);
        Libc.Symlink("network", Path.Combine(config, "network.link"));
        Write(Path.Combine(source, "etc/passwd"), "root:x:0:0:root:/root:/bin/ash\n", 0b110_100_100, 1_300_000_004);
        Write(Path.Combine(source, "etc/shadow"), "root:::0:99999:7:::\n", 0b110_000_000, 1_300_000_005);
        Libc.Link(Path.Combine(source, "etc/shadow"), Path.Combine(config, "shadow.hardlink"));
        var dropbear = Directory.CreateDirectory(Path.Combine(source, "etc/dropbear")).FullName;
        Write(Path.Combine(dropbear, "authorized_keys"), "ssh-ed25519 AAAA test\n", 0b110_000_000, 1_300_000_006);
        Write(Path.Combine(source, "etc/rc.local"), "exit 0\n", 0b111_101_101, 1_300_000_007);
        Libc.Chmod(dropbear, 0b111_000_000);
        SetTime(dropbear, 1_300_000_008);
        SetTime(config, 1_300_000_009);
    }

    private static void Write(string path, string content, uint mode, long time)
    {
        File.WriteAllText(path, content);
        Libc.Chmod(path, mode);
        SetTime(path, time);
    }

    private static void SetTime(string path, long seconds)
    {
        var time = new timespec { tv_sec = seconds };
        Libc.Lutimes(path, time, time);
    }

    private static SortedDictionary<string, string> Without(SortedDictionary<string, string> tree, string key)
    {
        tree.Remove(key);
        return tree;
    }
}
