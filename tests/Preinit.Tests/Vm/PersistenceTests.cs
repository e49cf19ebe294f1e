// The reason for the Live CD: what the user changes under /etc is on the stick after a reboot.
using System.Diagnostics;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Vm;

public class PersistenceTests
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);

    private static QemuMachine Boot(string stick, string append = "")
    {
        var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=60 {append}", QemuMachine.UsbStick(stick));
        vm.WaitFor("Please press Enter to activate this console", BootTimeout);
        vm.Type("");
        return vm;
    }

    [VmFact]
    public void Stick_FirstBootWritesEtc_SecondBootReadsItBack()
    {
        var stick = Path.Combine(Path.GetTempPath(), $"preinit-persist-{Guid.NewGuid():N}.img");
        using (var f = File.Create(stick)) f.SetLength(64 << 20);
        var mkfs = Process.Start(new ProcessStartInfo("mkfs.ext4", ["-q", "-F", "-L", "rootfs_data", stick]))!;
        mkfs.WaitForExit();
        try
        {
            using (var first = Boot(stick))
            {
                first.AssertShown("LABEL=rootfs_data is /dev/sda (ext4)", "e2fsck /dev/sda: exit 0", "mounted /dev/sda on /storage",
                    "created /storage/upper (first use of this stick)", "changes are saved on /dev/sda (/storage/upper)");
                Assert.Equal(0, first.Run("awk '$2 == \"/\" { t = $3 } END { print \"root-is-\" t }' /proc/mounts", TimeSpan.FromMinutes(1)));
                first.AssertShown("root-is-overlay");
                Assert.Equal(0, first.Run("echo persisted-$((40 + 2)) > /etc/persist-test && sync", TimeSpan.FromMinutes(1)));
            } // QEMU is killed: no clean shutdown, as when the power goes

            using var second = Boot(stick);
            Assert.Equal(0, second.Run("cat /etc/persist-test", TimeSpan.FromMinutes(1)));
            second.AssertShown("persisted-42", "changes are saved on /dev/sda");
            Assert.DoesNotContain("created /storage/upper", second.Console);
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void NoStick_BootsVolatileAndSaysSo()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, "preinit.wait=3");
        vm.WaitFor("livecd: /sbin/init started", BootTimeout);
        vm.AssertShown("no device matches LABEL=rootfs_data", "NO PERSISTENT STORAGE: no device matches LABEL=rootfs_data",
            "changes will not survive a reboot");
    }
}
