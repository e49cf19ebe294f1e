// switch_root for real: a tmpfs plays the initramfs, an ext2 image on a loop device the new
// root; the published binary runs `preinit switch-root` chrooted into the "initramfs".
using Preinit.Boot.Image;
using Preinit.Boot.Steps;
using Preinit.Core.Sizes;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class SwitchRootTests
{
    private const string Busybox = "/bin/busybox";

    [RootFact]
    public void SwitchRoot_IntoAnExt2Root_EmptiesTheInitramfsAndExecsInit()
    {
        Tier.Require(File.Exists(Paths.PublishedBinary) ? null : $"{Paths.PublishedBinary} missing (run ./publish.sh)");
        Tier.Require(File.Exists(Busybox) ? null : "busybox-static missing (./publish.sh deps)");
        using var scratch = new Scratch();
        var initramfs = scratch.Sub("initramfs");
        // The "initramfs": preinit and the glibc files it needs, and a stray file that must go.
        foreach (var file in new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6", "/lib64/ld-linux-x86-64.so.2" })
        {
            Directory.CreateDirectory(initramfs + Path.GetDirectoryName(file));
            File.Copy(file, initramfs + file);
        }
        File.Copy(Paths.PublishedBinary, Path.Combine(initramfs, "preinit"));
        File.WriteAllText(Path.Combine(initramfs, "stray"), "old root");
        Directory.CreateDirectory(Path.Combine(initramfs, "dev"));
        // .NET seeds its hashing from it
        Libc.Mknod(Path.Combine(initramfs, "dev/urandom"), Libc.S_IFCHR | 0b110_110_110, Libc.MakeDev(1, 9));

        // The new root: busybox as /sbin/init, a script that reports what it sees.
        var tree = scratch.Sub("tree");
        Directory.CreateDirectory(Path.Combine(tree, "bin"));
        Directory.CreateDirectory(Path.Combine(tree, "sbin"));
        File.Copy(Busybox, Path.Combine(tree, "bin/busybox"));
        File.WriteAllText(Path.Combine(tree, "sbin/init"), "#!/bin/busybox sh\n/bin/busybox echo \"init: pid=$$ root=$(/bin/busybox ls / " +
            "| /bin/busybox tr '\\n' ' ')\"\n");
        Libc.Chmod(Path.Combine(tree, "sbin/init"), 0b111_101_101);
        var newRoot = Path.Combine(initramfs, "newroot");
        var result = new RootImageBuilder(_ => { }).Build(
            new RootImageRequest(tree, Path.Combine(scratch.Path, "root.img"), newRoot, Headroom.Auto, []), out var loop);
        loop.Release();
        try
        {
            var run = Tools.Capture("chroot", [initramfs, "/preinit", "switch-root", "/newroot", "/sbin/init"]);
            var output = run.All;

            Assert.True(run.Exit == 0, output);
            Assert.Contains("init: pid=", output);
            Assert.Contains("root=bin lost+found sbin", output);
            // The new root now sits on the old one's mount point; the old contents are gone.
            Assert.True(File.Exists(Path.Combine(initramfs, "sbin/init")));
            Assert.False(File.Exists(Path.Combine(initramfs, "stray")));
        }
        finally
        {
            foreach (var mount in new[] { initramfs, newRoot })
                try { Libc.Umount2(mount, Libc.MNT_DETACH); } catch (SystemCallException) { /* moved or never mounted */ }
            DetachBacking(Path.Combine(scratch.Path, "root.img"));
        }
    }

    [RootFact]
    public void Check_RootThatIsNotAnInitramfs_IsRefused()
    {
        using var scratch = new Scratch();
        var newRoot = scratch.Sub("newroot");
        Libc.Mount("tmpfs", newRoot, "tmpfs", 0, null);
        var oldRoot = Path.Combine(Paths.Repository); // on the machine's real disk, not ramfs/tmpfs
        var e = Assert.Throws<InvalidOperationException>(() => SwitchRootStep.Check(newRoot, "/sbin/init", oldRoot));
        Assert.Contains("not an initramfs", e.Message);
    }

    [RootFact]
    public void Check_NewRootNotAMountPointOrWithoutInit_IsRefused()
    {
        using var scratch = new Scratch();
        var plainDir = scratch.Sub("plain");
        Assert.Contains("not a mount point",
            Assert.Throws<InvalidOperationException>(() => SwitchRootStep.Check(plainDir, "/sbin/init", scratch.Path)).Message);
        var mounted = scratch.Sub("mounted");
        Libc.Mount("tmpfs", mounted, "tmpfs", 0, null);
        Assert.Contains("/sbin/init is missing or not executable",
            Assert.Throws<InvalidOperationException>(() => SwitchRootStep.Check(mounted, "/sbin/init", scratch.Path)).Message);
    }

    private static void DetachBacking(string image)
    {
        foreach (var dir in Directory.EnumerateDirectories("/sys/block", "loop*"))
        {
            var backing = Path.Combine(dir, "loop/backing_file");
            if (File.Exists(backing) && File.ReadAllText(backing).Trim().StartsWith(image))
            {
                var fd = Libc.Open("/dev/" + Path.GetFileName(dir), Libc.O_RDONLY);
                try { Libc.TryIoctl(fd, Libc.LOOP_CLR_FD, 0); } finally { Libc.Close(fd); }
            }
        }
    }
}
