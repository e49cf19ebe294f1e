// live.iso on every firmware it is made for: SeaBIOS (isolinux) and OVMF (UEFI: shim, GRUB), with
// and without Secure Boot, from a CD and from a USB disk; boot menu entries chosen over the serial
// console; the Live system's console shell with its controlling terminal. A TCG boot costs 30-40 s,
// so each boot here proves several things.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class FirmwareBootTests
{
    // What each loader shows on the serial port while it counts down (so it is reading keys).
    private const string IsolinuxMenu = "Automatic boot in";
    private const string GrubMenu = "will be executed automatically in";
    private const string SecureBootVariable = "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

    [VmFact]
    public void SeaBiosCd_DefaultEntry_ReachesInit_AndTheConsoleShellHasItsTerminal()
    {
        using var vm = QemuMachine.Boot(Paths.LiveIso, Firmware.SeaBios, BootMedium.Cd);
        vm.WaitFor(IsolinuxMenu, SlowBootTimeout);
        vm.AssertShown("Press a highlighted letter to boot, [Tab] to edit the command line");
        var status = vm.WaitFor(InitStarted, SlowBootTimeout);
        Assert.Contains("root=overlay on overlay rom=ext2 on /dev/loop0", status);
        vm.AssertShown("firmware: legacy BIOS");

        var beforeShell = vm.Console.Length;
        vm.OpenShell(SlowBootTimeout);
        // A login shell: /etc/profile repeats the persistence notice (no stick here).
        vm.WaitFor("NO PERSISTENT STORAGE", CommandTimeout, beforeShell);
        Assert.Equal(0, vm.Run(
            "echo efi=$(test -d /sys/firmware/efi && echo yes || echo no) usb-disks=$(cat /sys/bus/usb/devices/*/product 2>/dev/null | " +
            "grep -c HARDDRIVE) tty=$(tty) job-control=$(case $- in *m*) echo on;; *) echo off;; esac) screen-prompt=$(ps | grep -c " +
            "'[c]onsole-shell tty1') cmdline=$(cat /proc/cmdline)", CommandTimeout));
        vm.AssertShown("efi=no usb-disks=0 tty=/dev/ttyS0 job-control=on screen-prompt=1 cmdline=BOOT_IMAGE=/boot/vmlinuz " +
            "initrd=/boot/initramfs.gz console=tty0 console=ttyS0,115200");
        Assert.DoesNotContain("can't access tty", vm.Console[beforeShell..]);

        // Ctrl-C (0x03 on the serial line) interrupts the foreground command: the next runs at once.
        var beforeSleep = vm.Console.Length;
        vm.Type("sleep 100");
        vm.WaitFor("sleep 100", CommandTimeout, beforeSleep);
        Thread.Sleep(TimeSpan.FromSeconds(2));
        vm.Send("\u0003");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, vm.Run("echo after-ctrl-c", TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Ctrl-C did not interrupt sleep 100. Console:\n{vm.Console}");
    }

    [VmFact]
    public void SeaBiosUsbDisk_FailsafeEntry_EndsInTheFailsafeShellNotInit()
    {
        using var vm = QemuMachine.Boot(Paths.LiveIso, Firmware.SeaBios, BootMedium.UsbDisk);
        vm.WaitFor(IsolinuxMenu, SlowBootTimeout);
        vm.Send("f"); // MENU IMMEDIATE: the hotkey boots its entry
        vm.WaitFor("failsafe: a login shell on /dev/tty0, /dev/ttyS0", SlowBootTimeout);
        vm.AssertShown("failsafe mode requested on the kernel command line", "- failsafe -");

        // Booted from the USB disk, QEMU's only disk (failsafe loads no usb-storage driver, so it has no block
        // device); the xHCI driver finds it while the failsafe shell starts.
        vm.WaitFor("Product: QEMU USB HARDDRIVE", CommandTimeout);
        Assert.Equal(0, vm.Run("test -e /tmp/.failsafe && echo in-failsafe usb-disks=$(cat /sys/bus/usb/devices/*/product " +
            "2>/dev/null | grep -c HARDDRIVE) cmdline=$(cat /proc/cmdline)", CommandTimeout));
        vm.AssertShown("in-failsafe usb-disks=1 cmdline=BOOT_IMAGE=/boot/vmlinuz initrd=/boot/initramfs.gz console=tty0 " +
            "console=ttyS0,115200 failsafe=1");
        Assert.DoesNotContain(InitStarted, vm.Console);
        Assert.DoesNotContain("run_init: exec", vm.Console);
    }

    [VmFact]
    public void OvmfCd_VerboseEntry_BootsThroughGrubWithTheDebugLog()
    {
        using var vm = QemuMachine.Boot(Paths.LiveIso, Firmware.Ovmf, BootMedium.Cd);
        vm.WaitFor(GrubMenu, SlowBootTimeout);
        vm.AssertShown("Debug: verbose boot log", "RAM only, nothing saved", "Busybox shell as /init (no preinit)");
        vm.Send("d"); // GRUB's --hotkey boots its entry
        vm.WaitFor(InitStarted, SlowBootTimeout);
        vm.AssertShown("hook preinit_main", "firmware: UEFI, Secure Boot off"); // preinit.debug shows hook lines

        vm.OpenShell(SlowBootTimeout);
        Assert.Equal(0, vm.Run("echo efi=$(test -d /sys/firmware/efi && echo yes || echo no) " +
            $"{ReadSecureBoot} cmdline=$(cat /proc/cmdline)", CommandTimeout));
        vm.AssertShown("efi=yes secureboot=0 cmdline=BOOT_IMAGE=/boot/vmlinuz console=tty0 console=ttyS0,115200 preinit.debug");
    }

    [VmFact]
    public void OvmfUsbDisk_RamOnlyEntry_LeavesTheStickAlone()
    {
        var stick = Tools.Image("preinit-fw-stick", 64L << 20, "mkfs.ext4", "-q", "-L", "rootfs_data");
        try
        {
            using var vm = QemuMachine.Boot(Paths.LiveIso, Firmware.Ovmf, BootMedium.UsbDisk, QemuMachine.UsbStick(stick));
            vm.WaitFor(GrubMenu, SlowBootTimeout);
            vm.Send("r");
            vm.WaitFor(InitStarted, SlowBootTimeout);
            vm.AssertShown("NO PERSISTENT STORAGE: preinit.extroot=off");

            vm.OpenShell(SlowBootTimeout);
            Assert.Equal(0, vm.Run(
                "echo efi=$(test -d /sys/firmware/efi && echo yes || echo no) ram-overlays=$(grep -c ' overlay " +
                ".*upperdir=/tmp/root/upper' /proc/mounts) sd-mounts=$(grep -c '^/dev/sd' /proc/mounts)" +
                " cmdline=$(cat /proc/cmdline)", CommandTimeout));
            // The root is the RAM overlay (changes on a tmpfs), and nothing of the stick is mounted.
            vm.AssertShown("efi=yes ram-overlays=1 sd-mounts=0 cmdline=BOOT_IMAGE=/boot/vmlinuz console=tty0 " +
                "console=ttyS0,115200 preinit.extroot=off");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void OvmfSecureBootUsbDisk_DefaultEntry_BootsLockedDown_AndRefusesAnUnsignedModule()
    {
        var modules = ModuleStick();
        try
        {
            using var vm = QemuMachine.Boot(Paths.LiveIso, Firmware.OvmfSecureBoot, BootMedium.UsbDisk, QemuMachine.UsbStick(modules));
            vm.WaitFor(GrubMenu, SlowBootTimeout);
            vm.WaitFor(InitStarted, SlowBootTimeout);

            vm.OpenShell(SlowBootTimeout);
            Assert.Equal(0, vm.Run($"echo {ReadSecureBoot}", CommandTimeout));
            vm.AssertShown("secureboot=1");
            Assert.Equal(0, vm.Run("dmesg | grep -i 'locked down'", CommandTimeout));
            vm.AssertShown("Secure Boot");

            vm.AssertShown("firmware: UEFI, Secure Boot on (the kernel is locked down: only modules signed for it load)");

            // The same module twice: Debian's signed build loads, the copy without its signature does not, and
            // preinit says why in words.
            Assert.Equal(0, vm.Run("mkdir -p /mnt/modules && mount -o ro $(findfs LABEL=modules) /mnt/modules", CommandTimeout));
            Assert.NotEqual(0, vm.Run("preinit modprobe /mnt/modules/unsigned.ko", CommandTimeout));
            vm.AssertShown("Error: /mnt/modules/unsigned.ko: rejected: unsigned module under Secure Boot lockdown",
                "(finit_module: Key was rejected by service, EKEYREJECTED)");
            Assert.Equal(0, vm.Run("preinit modprobe /mnt/modules/signed.ko && grep -c '^crc7 ' /proc/modules", CommandTimeout));
            vm.AssertShown("/mnt/modules/signed.ko: loaded signed");
        }
        finally { File.Delete(modules); }
    }

    /// <summary>Shell words that print secureboot=0 or 1: the last byte of the UEFI variable (after its 4 attribute bytes).</summary>
    private const string ReadSecureBoot =
        "$(preinit modprobe efivarfs >/dev/null 2>&1; mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null;" +
        " printf secureboot=; od -An -tu1 /sys/firmware/efi/efivars/" + SecureBootVariable + " | awk '{ print $NF }')";

    /// <summary>An ext2 image labelled "modules" with crc7.ko from the kernel package as Debian signed it (signed.ko)
    /// and with its appended signature cut off (unsigned.ko).</summary>
    private static string ModuleStick()
    {
        var modules = Path.Combine(Paths.Out, "cache", "kernel", "lib", "modules");
        var crc7 = Directory.Exists(modules) ? Directory.EnumerateFiles(modules, "crc7.ko", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        Assert.True(crc7 is not null, $"no crc7.ko under {modules} (./publish.sh build unpacks the kernel package there)");
        var signed = File.ReadAllBytes(crc7);
        var dir = Directory.CreateTempSubdirectory("preinit-modules.").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "signed.ko"), signed);
            File.WriteAllBytes(Path.Combine(dir, "unsigned.ko"), WithoutSignature(signed));
            return Tools.Image("preinit-fw-modules", 4L << 20, "mke2fs", "-q", "-t", "ext2", "-L", "modules", "-d", dir);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A module without its appended signature: the kernel's module_signature struct (12 bytes, the
    /// signature length big-endian in its last 4) and the signature sit before the 28-byte magic
    /// (include/linux/module_signature.h).</summary>
    private static byte[] WithoutSignature(byte[] module)
    {
        var magic = Encoding.ASCII.GetBytes("~Module signature appended~\n");
        Assert.True(module.AsSpan().EndsWith(magic), "crc7.ko carries no appended signature");
        var info = module.Length - magic.Length - 12;
        var signatureLength = BinaryPrimitives.ReadInt32BigEndian(module.AsSpan(info + 8, 4));
        return module[..(info - signatureLength)];
    }
}
