// Kernel command line keys and the last-resort path, booted for real.
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class BootOptionsTests
{

    [VmFact]
    public void PreinitShell_GivesAShellBeforeInit_ThenTheBootContinues()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs,
            "preinit.shell preinit.debug preinit.wait=2 preinit.pi_suppress_stderr=n preinit.pi_init_suppress_stderr=n");
        vm.WaitFor("preinit.shell: starting /bin/sh on the console", BootTimeout);
        // The marker is assembled by the shell, so the console's echo of the typed line does not match it.
        vm.Type("m=in-preinit; echo $m-shell root=$(awk '$2 == \"/\" { print $3 }' /proc/mounts | tail -n1); exit");
        var line = vm.WaitFor("in-preinit-shell root=", CommandTimeout);
        Assert.Contains("root=overlay", line);
        vm.WaitFor(InitStarted, BootTimeout);
        vm.AssertShown("shell exited with status 0; continuing", "hook preinit_main"); // the debug level shows hook lines
        // Neither stderr is suppressed: init's is the console.
        vm.OpenShell(BootTimeout);
        Assert.Equal(0, vm.Run("echo init-stderr=$(readlink /proc/1/fd/2)", CommandTimeout));
        vm.AssertShown("init-stderr=/dev/console");
    }

    [VmFact]
    public void ImageCopy_BuildsTheRootWithMke2fsAndCopy()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, "preinit.image=copy preinit.wait=2");
        var status = vm.WaitFor(InitStarted, BootTimeout);
        Assert.Contains("root=overlay on overlay rom=ext2 on /dev/loop0", status);
        vm.AssertShown("(mke2fs + copy, headroom", "(mke2fs + copy) on /dev/loop0 (/dev/root)");
        // pi_init_suppress_stderr=y (the default): init's standard error is /dev/null.
        vm.OpenShell(BootTimeout);
        Assert.Equal(0, vm.Run("echo init-stderr=$(readlink /proc/1/fd/2) shell-stderr=$(readlink /proc/$$/fd/2)", CommandTimeout));
        // The console shell opens its terminal itself (the serial port, its controlling terminal): its errors are seen.
        vm.AssertShown("init-stderr=/dev/null shell-stderr=/dev/ttyS0");
    }

    [VmFact]
    public void InitThatDoesNotExist_EndsInTheRescueShellNotAPanic_AndTheStickKeepsTheFailedBootsLog()
    {
        var stick = Tools.Image("preinit-rescue", 64 << 20, "mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        try
        {
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, "init=/sbin/no-such-init preinit.typo=1 preinit.wait=60",
                QemuMachine.UsbStick(stick));
            vm.WaitFor("starting a rescue shell on the console", BootTimeout);
            vm.AssertShown("unknown kernel command line key preinit.typo", "run_init failed", "/sbin/no-such-init");
            vm.Type("echo rescue-$((6 * 7))");
            vm.WaitFor("rescue-42", CommandTimeout);
            Assert.DoesNotContain("Kernel panic", vm.Console);
            // Saved before the exec, then again with the failure, under the same name: one record, saying how the boot ended.
            var from = vm.Console.Length;
            vm.Type("/sbin/preinit log --list");
            vm.WaitFor("a rescue shell: preinit_main finished without starting init", CommandTimeout, from);
            Assert.Matches(@"\n +0  [-0-9: ]+ +\d+\.\d{3} s  0001-\d{8}-\d{6}\.log  a rescue shell: " +
                @"preinit_main finished without starting init",
                vm.Console[from..]);
            Assert.DoesNotContain("0002-", vm.Console[from..]);
        }
        finally { File.Delete(stick); }
    }
}
