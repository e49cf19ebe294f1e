// What the hook functions do, for real, in a chroot of the published binary (`preinit run-hook`):
// preinit_essential's mounts and directories on an empty root, and preinit_main on an ext4 root up
// to the exec of init: the volatile-root notice, a configuration restored, the seed saved, init
// started with its PATH and with stderr on /dev/null.
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public class HookEffectsTests
{
    [RootFact]
    public void PreinitEssential_MountsTheKernelFilesystemsTmpAndDevices()
    {
        using var scratch = new Scratch();
        var root = scratch.Path;
        PreinitChroot.Make(root, mountKernelFilesystems: false);

        var (exit, output) = PreinitChroot.RunShell(root,
            "/preinit run-hook preinit_essential --skip init_console --conf /nonexistent/00_preinit.conf; " +
            "/bin/busybox cat /proc/self/mounts; /bin/busybox stat -c 'mode %n %a' /tmp /dev/shm /dev/pts");

        Assert.True(exit == 0, output);
        foreach (var mount in new[] { "proc /proc proc rw,nosuid,nodev,noexec", "sysfs /sys sysfs rw,nosuid,nodev,noexec",
                     "tmpfs /tmp tmpfs rw,nosuid,nodev", "devtmpfs /dev devtmpfs rw,nosuid", "devpts /dev/pts devpts rw,nosuid,noexec" })
            Assert.Contains(mount, output);
        Assert.Contains("mode /tmp 1777", output);
        Assert.Contains("mode /dev/shm 1777", output);
        Assert.Contains("choose_device_fs: choose what /dev is", output);
        Assert.Contains("consoles: ", output);
    }

    [RootFact]
    public void PreinitMain_OnADiskRoot_RestoresTheBackupSavesTheSeedAndExecsInit()
    {
        using var scratch = new Scratch();
        var image = Tools.Image("preinit-hookroot", 64 << 20, "mkfs.ext4", "-q", "-F");
        var root = scratch.Sub("root");
        Tools.Run("mount", "-o", "loop", image, root);
        try
        {
            PreinitChroot.Make(root);
            Directory.CreateDirectory(Path.Combine(root, "sys"));
            Libc.Mount("sysfs", Path.Combine(root, "sys"), "sysfs", 0, null);
            Directory.CreateDirectory(Path.Combine(root, "lib/preinit"));
            File.WriteAllText(Path.Combine(root, "lib/preinit/00_preinit.conf"),
                "pi_init_cmd=/sbin/fake-init\npi_preinit_no_failsafe=y\npi_init_path=/bin:/sbin\n");
            Directory.CreateDirectory(Path.Combine(root, "sbin"));
            File.WriteAllText(Path.Combine(root, "sbin/fake-init"),
                "#!/bin/busybox sh\necho \"INIT-RAN path=$PATH stderr=$(/bin/busybox readlink /proc/self/fd/2) " +
                    "restored=$(/bin/busybox cat /etc/restored)\"\n");
            File.SetUnixFileMode(Path.Combine(root, "sbin/fake-init"), (UnixFileMode)0b111_101_101);
            var backup = scratch.Sub("backup");
            Directory.CreateDirectory(Path.Combine(backup, "etc"));
            File.WriteAllText(Path.Combine(backup, "etc/restored"), "from-the-backup");
            Tools.Run("tar", "czf", Path.Combine(root, "sysupgrade.tgz"), "-C", backup, "etc/restored");

            var (exit, output) = PreinitChroot.Run(root, "run-hook", "preinit_main", "--skip", "init_hotplug", "--cmdline",
                "preinit.extroot=off");

            Assert.True(exit == 0, output);
            Assert.Contains("INIT-RAN path=/bin:/sbin stderr=/dev/null restored=from-the-backup", output);
            Assert.Contains("NO PERSISTENT STORAGE: preinit.extroot=off", output);
            // A disk root keeps its changes itself: no RAM overlay over it.
            Assert.Matches(@"/ is /dev/loop\d+ \(ext4, a loop device over .*preinit-hookroot.*\), not preinit's RAM root image", output);
            Assert.Contains("failsafe mode is not offered (pi_preinit_no_failsafe=y)", output);
            Assert.Contains("- config restore - from /sysupgrade.tgz", output);
            Assert.Contains("run_init: exec /sbin/fake-init with PATH=/bin:/sbin, stderr to /dev/null", output);
            Assert.False(File.Exists(Path.Combine(root, "sysupgrade.tgz")));
            Assert.Equal(512, new FileInfo(Path.Combine(root, "etc/urandom.seed")).Length);
        }
        finally
        {
            Libc.Umount2(root, Libc.MNT_DETACH);
            File.Delete(image);
        }
    }
}
