// Sticks that come and go after boot, plugged and pulled through QEMU's monitor while `preinit
// hotplug` (started by the Live CD's rcS) runs: a data stick the fstab names is mounted and
// unmounted, a rootfs_data stick plugged into a RAM-only session gets the `preinit persist` hint,
// and pulling the overlay stick out is said in capitals on the console and in the kernel log.
using Preinit.Core.Fstab;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class HotplugTests
{

    /// <summary>No 4 s failsafe prompt: these tests are about what happens after boot.</summary>

    /// <summary>The handler's line once it handled what was there at start and listens for what comes.</summary>
    private const string Listening = "hotplug: waiting for devices to be plugged in or removed";

    private static string Stick(string label, params string[] debugfs) => PersistenceTests.Stick(label, debugfs);

    [VmFact]
    public void RamOnlySession_DataStickMountedWhenPluggedAndUnmountedWhenPulled_RootfsDataStickGetsThePersistHint()
    {
        var hello = Path.GetTempFileName();
        File.WriteAllText(hello, "hotplug-data-42\n");
        var data = Stick("data", $"write {hello} hello");
        var rootfsData = Stick("rootfs_data");
        try
        {
            const string fstab = "config global\n\toption auto_mount '1'\n\n" +
                "config mount\n\toption target '/srv/data'\n\toption label 'data'\n\n" +
                "config mount\n\toption target '/storage'\n\toption label 'rootfs_data'\n\toption is_rootfs '1'\n";
            using var initramfs = new ExtraInitramfs(("etc/config/fstab", System.Text.Encoding.UTF8.GetBytes(fstab)));
            using var vm = QemuMachine.BootKernel(initramfs.Path, NoFailsafeWait,
                [.. QemuMachine.UsbStick(data, plugged: false, drive: "data"), .. QemuMachine.UsbStick(rootfsData, plugged: false,
                    drive: "rootfs")]);
            vm.WaitFor(Listening, BootTimeout);
            vm.OpenShell(BootTimeout);

            var from = vm.Console.Length;
            vm.Monitor(QemuMachine.Plug("data"));
            vm.WaitFor("mounted /dev/sda (ext4) on /srv/data (fstab section fstab.@mount[0]: LABEL=data)", CommandTimeout, from);
            Assert.Equal(0, vm.Run("cat /srv/data/hello", CommandTimeout));
            vm.AssertShown("hotplug-data-42");

            from = vm.Console.Length;
            vm.Monitor(QemuMachine.Unplug("data"));
            vm.WaitFor("unmounted /dev/sda from /srv/data (the device was removed)", CommandTimeout, from);
            Assert.Equal(1, vm.Run("grep -q ' /srv/data ' /proc/mounts", CommandTimeout));

            from = vm.Console.Length;
            vm.Monitor(QemuMachine.Plug("rootfs"));
            var hint = vm.WaitFor("A stick labelled rootfs_data was plugged in (/dev/sd", CommandTimeout, from);
            Assert.Contains("`preinit persist` saves them onto it", hint);
            vm.WaitFor("not mounted: fstab section fstab.@mount[1] is the root's (is_rootfs 1); only boot mounts it", CommandTimeout, from);
            Assert.Equal(1, vm.Run("grep -q ' /storage ' /proc/mounts", CommandTimeout));
        }
        finally
        {
            File.Delete(data);
            File.Delete(rootfsData);
            File.Delete(hello);
        }
    }

    [VmFact]
    public void OverlayStickPulledOut_WarnsInCapitalsOnTheConsoleAndInTheKernelLog()
    {
        var stick = Stick("rootfs_data");
        try
        {
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=60 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
            vm.WaitFor(Listening, BootTimeout);
            vm.OpenShell(BootTimeout);
            vm.AssertShown("changes are saved on /dev/sda (/storage/upper)");

            var from = vm.Console.Length;
            vm.Monitor(QemuMachine.Unplug());
            vm.WaitFor(HotplugPlan.OverlayStickRemoved("/dev/sda", "/storage/upper"), CommandTimeout, from);
            Assert.Equal(0, vm.Run("dmesg | grep -q 'preinit: OVERLAY STICK REMOVED: /dev/sda'", CommandTimeout));
            // The root still stands on it: the stick's mount is left alone, and every login says so again.
            Assert.Equal(0, vm.Run("grep -q ' /storage ' /proc/mounts", CommandTimeout));
            Assert.Equal(0, vm.Run("grep -q 'CHANGES FROM NOW ON ARE LOST' /tmp/.preinit-persistence", CommandTimeout));
        }
        finally { File.Delete(stick); }
    }
}
