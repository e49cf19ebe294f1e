// Finding the stick in QEMU: an ext4 USB stick on xHCI that the kernel only sees after preinit
// loaded the host and storage drivers, and a stick plugged in after boot.
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class UsbStickTests
{

    /// <summary>Boot leaves the stick alone, so the verbs under test load the drivers and find it themselves.</summary>
    private const string NoExtroot = "preinit.extroot=off";

    private static string MakeStick(string label) => Tools.Image("preinit-stick", 64 << 20, "mkfs.ext4", "-q", "-F", "-L", label);

    [VmFact]
    public void Wait_StickBehindXhci_LoadsTheDriversAndFindsIt()
    {
        var stick = MakeStick("rootfs_data");
        try
        {
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, NoExtroot, QemuMachine.UsbStick(stick));
            vm.OpenShell(BootTimeout);
            Assert.Equal(0, vm.Run("preinit wait LABEL=rootfs_data --timeout 60", SlowCommandTimeout));
            vm.AssertShown("xhci_hcd, xhci_pci", "usb_storage", "LABEL=rootfs_data is /dev/sda (ext4), found after");
            Assert.Equal(0, vm.Run("preinit probe --json /dev/sda", CommandTimeout));
            Assert.Equal(1, vm.Run("preinit find LABEL=nothing", CommandTimeout));
            vm.AssertShown("\"label\": \"rootfs_data\"", "no device matches LABEL=nothing",
                "/dev/sda  64.0 MiB  ext4  LABEL=\"rootfs_data\"");
            // The initramfs carries the checker: the stick is checked in the guest.
            Assert.Equal(0, vm.Run("preinit fsck /dev/sda", CommandTimeout));
            vm.AssertShown("/dev/sda: continue: no errors");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void Wait_StickPluggedInAfterBoot_ReturnsWhenItAppears()
    {
        var stick = MakeStick("rootfs_data");
        try
        {
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, NoExtroot, QemuMachine.UsbStick(stick, plugged: false));
            vm.OpenShell(BootTimeout);
            vm.Type("preinit wait LABEL=rootfs_data --timeout 120; echo \"wait\"\"status=$?\"");
            vm.WaitFor("xhci_hcd, xhci_pci", CommandTimeout);
            Thread.Sleep(TimeSpan.FromSeconds(3));
            vm.Monitor(QemuMachine.PlugStick);
            vm.WaitFor("waitstatus=", SlowCommandTimeout);
            vm.AssertShown("add sda after", "waitstatus=0", "LABEL=rootfs_data is /dev/sda (ext4), found after");
        }
        finally { File.Delete(stick); }
    }
}
