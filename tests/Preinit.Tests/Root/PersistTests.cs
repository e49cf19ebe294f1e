// `preinit persist` on real overlayfs, in a chroot of the published binary: a tmpfs plays the RAM
// root, `preinit pivot-ram` makes the RAM-only session, and an ext4 image on a loop device is the
// stick. What the session changed (a file, a deletion, an opaque directory, hard links, extended
// attributes) ends up in the stick's upper layer over what it had saved, and an overlay of the RAM
// root with that layer (the next boot) shows the session's view. Refusals leave the stick as it was.
using Preinit.Boot.Persist;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public sealed class PersistTests : IDisposable
{
    private const string RecordPath = "upper/etc/.extroot-id";
    private readonly Scratch _scratch = new();
    private readonly string _root;
    private readonly string _image;
    private readonly string _loop;
    private readonly string _stick;

    public PersistTests()
    {
        _root = _scratch.Path;
        PreinitChroot.Make(_root);
        foreach (var d in new[] { "sys", "tmp" }) Directory.CreateDirectory(Path.Combine(_root, d));
        Libc.Mount("sysfs", Path.Combine(_root, "sys"), "sysfs", 0, null);
        Libc.Mount("tmpfs", Path.Combine(_root, "tmp"), "tmpfs", 0, null);
        File.WriteAllText(Path.Combine(_root, "etc/os-release"), "ID=livecd\nVERSION_ID=1\n");
        File.WriteAllText(Path.Combine(_root, "etc/config"), "from the RAM root\n");
        File.WriteAllText(Path.Combine(_root, "etc/gone"), "deleted in the session\n");
        Directory.CreateDirectory(Path.Combine(_root, "etc/dir"));
        File.WriteAllText(Path.Combine(_root, "etc/dir/a"), "replaced with the directory\n");
        File.WriteAllText(Path.Combine(_root, "etc/capable"), "has an attribute\n");
        Libc.SetXattr(Path.Combine(_root, "etc/capable"), "trusted.preinit-test", "kept"u8);

        _image = Tools.Image("preinit-persist-stick", 32 << 20, "mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        _loop = Tools.Run("losetup", "--find", "--show", _image).Trim();
        _stick = Path.Combine(Path.GetTempPath(), $"preinit-persist-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_stick);
    }

    public void Dispose()
    {
        if (Boot.Platform.MountPoint.Is(_stick)) Libc.Umount2(_stick, Libc.MNT_DETACH);
        Directory.Delete(_stick);
        Tools.Run("losetup", "--detach", _loop);
        File.Delete(_image);
        _scratch.Dispose();
    }

    private void OnStick(Action<string> action)
    {
        Libc.Mount(_loop, _stick, "ext4", 0, null);
        try { action(_stick); }
        finally { Libc.Umount2(_stick, 0); }
    }

    private (int Exit, string Output) Session(string changes, params string[] persist) =>
        PreinitChroot.Run(_root, "pivot-ram", "--size", "64M", "/bin/busybox", "sh", "-c",
            $"{changes} && /preinit persist {string.Join(' ', persist)}; echo persist-status=$?");

    [RootFact]
    public void Persist_WritesFilesDeletionsOpaqueDirectoriesLinksAndAttributes_OverWhatTheStickSaved()
    {
        OnStick(stick =>
        {
            Directory.CreateDirectory(Path.Combine(stick, "upper/etc/dir"));
            File.WriteAllText(Path.Combine(stick, "upper/etc/saved"), "saved before\n");
            File.WriteAllText(Path.Combine(stick, "upper/etc/config"), "saved before\n");
            File.WriteAllText(Path.Combine(stick, "upper/etc/dir/old"), "hidden by the opaque directory\n");
        });

        var (_, output) = Session(
            "cd /etc && echo session > config && rm gone && rm -r dir && mkdir dir && echo c > dir/c && echo x > h1 && ln h1 h2 && " +
            "echo more >> capable", _loop);

        Assert.Contains("persist-status=0", output);
        Assert.Contains($"onto {_loop} in", output);
        Assert.Contains("the next boot with this stick has them", output);
        OnStick(stick =>
        {
            var upper = Path.Combine(stick, "upper");
            Assert.Equal("session\n", File.ReadAllText(Path.Combine(upper, "etc/config")));
            Assert.Equal("saved before\n", File.ReadAllText(Path.Combine(upper, "etc/saved")));
            Assert.True(OverlayRecords.IsWhiteout(Libc.Lstat(Path.Combine(upper, "etc/gone"))));
            Assert.True(OverlayRecords.IsOpaque(Path.Combine(upper, "etc/dir")));
            Assert.Equal(["c"], Directory.GetFileSystemEntries(Path.Combine(upper, "etc/dir")).Select(Path.GetFileName));
            Assert.Equal(Libc.Lstat(Path.Combine(upper, "etc/h1")).stx_ino, Libc.Lstat(Path.Combine(upper, "etc/h2")).stx_ino);
            Assert.Equal("kept"u8.ToArray(), Libc.GetXattr(Path.Combine(upper, "etc/capable"), "trusted.preinit-test"));
            Assert.Contains("livecd", File.ReadAllText(Path.Combine(stick, RecordPath)));
            Assert.False(Directory.Exists(Path.Combine(stick, SessionPersister.StagingPath)));

            // The next boot: the RAM root with the stick's layer over it shows what the session saw.
            var next = Path.Combine(Path.GetTempPath(), $"preinit-next-boot-{Guid.NewGuid():N}");
            Directory.CreateDirectory(next);
            Directory.CreateDirectory(Path.Combine(stick, "work"));
            Libc.Mount("overlay", next, "overlay", 0, $"lowerdir={_root},upperdir={upper},workdir={Path.Combine(stick, "work")}");
            try
            {
                Assert.Equal("session\n", File.ReadAllText(Path.Combine(next, "etc/config")));
                Assert.False(File.Exists(Path.Combine(next, "etc/gone")));
                Assert.Equal(["c"], Directory.GetFileSystemEntries(Path.Combine(next, "etc/dir")).Select(Path.GetFileName));
                Assert.Equal("has an attribute\nmore\n", File.ReadAllText(Path.Combine(next, "etc/capable")));
            }
            finally
            {
                Libc.Umount2(next, 0);
                Directory.Delete(next);
            }
        });
    }

    [RootFact]
    public void Persist_StickOfAnotherSystem_IsRefusedUntouchedUnlessForced()
    {
        OnStick(stick =>
        {
            Directory.CreateDirectory(Path.Combine(stick, "upper/etc"));
            File.WriteAllText(Path.Combine(stick, RecordPath), "system=other\nbuild=9\n");
        });

        var (_, refused) = Session("echo session > /etc/config", _loop);

        Assert.Contains("persist-status=1", refused);
        Assert.Contains($"Error: {_loop} belongs to another system", refused);
        Assert.Contains($"preinit persist --force {_loop}", refused);
        OnStick(stick => Assert.False(File.Exists(Path.Combine(stick, "upper/etc/config"))));

        var (_, forced) = Session("echo session > /etc/config", "--force", _loop);

        Assert.Contains("persist-status=0", forced);
        OnStick(stick =>
        {
            Assert.Equal("session\n", File.ReadAllText(Path.Combine(stick, "upper/etc/config")));
            Assert.Contains("livecd", File.ReadAllText(Path.Combine(stick, RecordPath)));
        });
    }

    [RootFact]
    public void Persist_SessionLargerThanTheStickHasRoomFor_IsRefusedBeforeAnythingIsWritten()
    {
        var (_, output) = Session("/bin/busybox dd if=/dev/zero of=/big bs=1M count=40 2>/dev/null", _loop);

        Assert.Contains("persist-status=1", output);
        Assert.Contains("Error: the stick has", output);
        Assert.Contains("nothing was written", output);
        OnStick(stick => Assert.False(Directory.Exists(Path.Combine(stick, "upper"))));
    }

    [RootFact]
    public void Persist_OutsideARamSession_SaysWhatItSaves()
    {
        var (exit, output) = PreinitChroot.Run(_root, "persist", _loop);

        Assert.Equal(1, exit);
        Assert.Contains("Error: / is not an overlay, so this session's changes are not one tree that can be saved", output);
    }
}
