// The Live CD booted for real in QEMU: stage 1 builds the ext2 root on a loop device, switches
// into it, stage 2 runs its hooks and /sbin/init (busybox) starts; and the fallbacks.
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class LiveCdBootTests
{

    [VmFact]
    public void LiveIso_Boots_ThroughTheLoopRootToInit()
    {
        using var vm = QemuMachine.BootIso(Paths.LiveIso);
        var status = vm.WaitFor(InitStarted, BootTimeout);

        Assert.Contains("root=overlay on overlay rom=ext2 on /dev/loop0", status);
        Assert.Contains("storage=yes", status);
        vm.AssertShown(
            "preinit: load kernel modules loop, fs-ext2",
            "fs-ext2: loaded crc32c_generic, crc16, mbcache, jbd2, ext4",
            "(written directly, headroom", "(written) on /dev/loop0 (/dev/root)", "1 try",
            "switch_root to /.preinit-root and exec /etc/preinit",
            "stage 2 (/etc/preinit)",
            "do_mount_tmpfs: mount tmpfs on /tmp",
            "/ is now the overlay: lower /rom (the RAM root), upper /tmp/root/upper (RAM, 50%)",
            "run_init: exec /sbin/init");
        Assert.DoesNotContain("stage 1 failed", vm.Console);

        // The whole boot log, stage 1 included, is in /tmp/preinit.log.
        vm.OpenShell(BootTimeout);
        // Without a stick the changes go to a tmpfs of half the RAM, not into the image's few MiB of headroom.
        vm.Type("m=root-free; echo $m-mib=$(( $(df -k / | awk 'NR == 2 { print $4 }') / 1024 ))");
        var free = vm.WaitFor("root-free-mib=", CommandTimeout);
        Assert.True(int.Parse(free.Split("root-free-mib=")[1].Trim()) > 100, free);
        vm.Type("echo stage1-lines=$(grep -c 'build the ext2 root image' /tmp/preinit.log) init-lines=$(grep -c " +
            "'run_init: exec' /tmp/preinit.log)");
        var counts = vm.WaitFor("stage1-lines=1", CommandTimeout);
        Assert.Contains("init-lines=1", counts);
    }

    [VmFact]
    public void LoopOff_StaysOnTheInitramfs()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, "preinit.loop=0 preinit.wait=2");
        var status = vm.WaitFor(InitStarted, BootTimeout);

        Assert.Contains("root=rootfs", status);
        vm.AssertShown("preinit.loop=0: no loop root", "run_init: exec /sbin/init");
        Assert.DoesNotContain("switch_root to", vm.Console);
    }

    [VmFact]
    public void LoopModuleAndUrandomMissing_FallsBackToStageTwoInPlace()
    {
        var tree = Directory.CreateTempSubdirectory("preinit-noloop.").FullName;
        var initramfs = tree + ".cpio.gz";
        try
        {
            Tools.Run("cp", "-a", Paths.InitramfsTree + "/.", tree);
            foreach (var ko in Directory.EnumerateFiles(Path.Combine(tree, "lib/modules"), "loop.ko*", SearchOption.AllDirectories))
                File.Delete(ko);
            // No /dev/urandom either: preinit must mount devtmpfs and exec itself again before its runtime needs it.
            File.Delete(Path.Combine(tree, "dev/urandom"));
            Preinit.Boot.Cpio.CpioArchiveBuilder.Write(tree, initramfs);

            using var vm = QemuMachine.BootKernel(initramfs, "preinit.wait=2");
            var status = vm.WaitFor(InitStarted, BootTimeout);

            Assert.Contains("root=rootfs", status);
            vm.AssertShown("stage 1 failed", "loop", "running /etc/preinit in place", "run_init: exec /sbin/init");
        }
        finally
        {
            Directory.Delete(tree, true);
            File.Delete(initramfs);
        }
    }
}
