// restore_config as root on a tmpfs: owners that are not ours, setuid, setgid and sticky modes,
// device nodes and sub-second times must come back exactly as the archive says.
using System.Formats.Tar;
using Preinit.Boot.Restore;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.TarGz;

namespace Preinit.Tests.Root;

public class SysupgradeArchiveRootTests
{
    [RootFact]
    public void Restore_AsRoot_KeepsOwnersSpecialModesDevicesAndTimesExactly()
    {
        using var scratch = new Scratch();
        var root = scratch.Sub("root");
        var archive = Path.Combine(scratch.Path, "sysupgrade.tgz");
        var halfSecond = new PaxTarEntry(TarEntryType.RegularFile, "etc/precise")
        {
            DataStream = new MemoryStream("precise\n"u8.ToArray()),
            Mode = (UnixFileMode)0b110_100_000, Uid = 70000, Gid = 70001,
            ModificationTime = Time.AddTicks(5_000_000), // PAX keeps fractions of a second
        };
        Write(archive,
            Dir("etc/", (UnixFileMode)0b111_101_101),
            Dir("etc/shared/", (UnixFileMode)0b010_111_111_101, uid: 1000, gid: 2000),
            Dir("tmp/", (UnixFileMode)0b001_111_111_111),
            RegularFile("usr/sbin/su-helper", "#!/bin/sh\n", (UnixFileMode)0b100_111_101_101, uid: 0, gid: 0),
            RegularFile("etc/shared/owned", "not root's\n", (UnixFileMode)0b110_100_000, uid: 1234, gid: 5678),
            Symlink("etc/shared/link", "owned", uid: 4321, gid: 8765),
            Node(TarEntryType.CharacterDevice, "dev/null", 1, 3),
            Node(TarEntryType.BlockDevice, "dev/loop7", 7, 7),
            halfSecond);

        var result = SysupgradeArchive.Restore(archive, root, _ => { });

        Assert.True(result.Complete, string.Join("\n", result.Problems));
        Check(root, "etc/shared", Libc.S_IFDIR, 0b010_111_111_101, 1000, 2000);
        Check(root, "tmp", Libc.S_IFDIR, 0b001_111_111_111, 0, 0);
        Check(root, "usr/sbin/su-helper", Libc.S_IFREG, 0b100_111_101_101, 0, 0);
        Check(root, "etc/shared/owned", Libc.S_IFREG, 0b110_100_000, 1234, 5678);
        Check(root, "etc/shared/link", Libc.S_IFLNK, 0b111_111_111, 4321, 8765);
        Check(root, "etc/precise", Libc.S_IFREG, 0b110_100_000, 70000, 70001, nanoseconds: 500_000_000);
        var null_ = Check(root, "dev/null", Libc.S_IFCHR, 0b110_110_110, 0, 0);
        Assert.Equal((1u, 3u), (null_.stx_rdev_major, null_.stx_rdev_minor));
        var loop = Check(root, "dev/loop7", Libc.S_IFBLK, 0b110_110_110, 0, 0);
        Assert.Equal((7u, 7u), (loop.stx_rdev_major, loop.stx_rdev_minor));
    }

    private static statx Check(string root, string relative, uint type, uint mode, uint uid, uint gid, uint nanoseconds = 0)
    {
        var st = Libc.Lstat(Path.Combine(root, relative));
        Assert.Equal((relative, type, Convert.ToString(mode, 8), uid, gid),
            (relative, st.FileType, Convert.ToString(st.stx_mode & 0xFFF, 8), st.stx_uid, st.stx_gid));
        Assert.Equal((Time.ToUnixTimeSeconds(), nanoseconds), (st.stx_mtime.tv_sec, st.stx_mtime.tv_nsec));
        return st;
    }
}
