// Today's OpenWrt in QEMU: a rootfs whose /sbin/init behaves as procd's init does (procd is not
// packaged for Debian, so a shell script stands in for it, doing what initd/init.c, early.c and
// preinit.c do, in their order) and with preinit installed by `preinit install`, which finds
// /sbin/procd and writes /etc/preinit as the script procd's init runs. Boot goes: preinit's /init
// (RAM root, switch_root), /etc/preinit run as PID 1 without PREINIT (so it execs procd's init),
// then procd's init runs `/bin/sh /etc/preinit` with PREINIT=1 as its child: preinit runs once,
// exits, and /sbin/procd (standing in: it prints a line, then busybox init takes over) starts.
using System.Text;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class ProcdContractTests
{

    /// <summary>procd's init, as a script: early() (a tmpfs /dev filled with mknod from /sys/dev, as OpenWrt's kernels have
    /// no devtmpfs; /tmp), PREINIT=1 and /tmp/.preinit, `/bin/sh /etc/preinit` as a child, then spawn_procd.</summary>
    private const string ProcdInit = """
        #!/bin/sh
        mount -t proc -o nosuid,nodev,noexec proc /proc
        mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
        mount -t tmpfs -o mode=0755,size=512K,nosuid,noexec tmpfs /dev
        for entry in /sys/dev/char/* /sys/dev/block/*; do
            name=$(sed -n 's/^DEVNAME=//p' "$entry/uevent")
            [ -n "$name" ] || continue
            case $name in */*) mkdir -p "/dev/${name%/*}" ;; esac
            number=${entry##*/}
            type=c; case $entry in */block/*) type=b ;; esac
            mknod "/dev/$name" $type "${number%:*}" "${number#*:}"
        done
        mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
        exec </dev/console >/dev/console 2>/dev/console
        mount -t tmpfs -o mode=01777,nosuid,nodev tmpfs /tmp
        mkdir -p /tmp/shm /tmp/run /tmp/lock /tmp/state
        export PATH=/usr/sbin:/sbin:/usr/bin:/bin
        echo "procd-init: pid $$, running /etc/preinit"
        export PREINIT=1
        : > /tmp/.preinit
        /bin/sh /etc/preinit
        echo "procd-init: /etc/preinit exited with status $?"
        unset PREINIT
        rm -f /tmp/.preinit
        [ -e /tmp/sysupgrade ] && echo "procd-init: /tmp/sysupgrade found, the upgrade would run now"
        exec /sbin/procd
        """;

    /// <summary>procd itself: says what it was given, then busybox init (the Live CD's inittab) takes over as PID 1.</summary>
    private const string Procd = """
        #!/bin/sh
        root=$(awk '$2 == "/" { t = $3 } END { print t }' /proc/mounts)
        echo "procd: started as pid $$, PREINIT='$PREINIT', .preinit $([ -e /tmp/.preinit ] && echo left || echo removed), root $root"
        exec /bin/busybox init
        """;

    /// <summary>An OpenWrt-style hook file using a function of /lib/functions.sh, as OpenWrt's files do.</summary>
    private const string HookFile = """
        openwrt_style_check() {
            echo "openwrt-style hook: PREINIT=$PREINIT, $(openwrt_library_says)"
        }
        boot_hook_add preinit_main openwrt_style_check
        """;

    private const string FunctionsLibrary = """
        openwrt_library_says() { echo "/lib/functions.sh was sourced"; }
        """;

    /// <summary>fstools' mount_root: it refuses without PREINIT, as the real one does.</summary>
    private const string MountRoot = """
        #!/bin/sh
        [ -n "$PREINIT" ] || { echo "mount_root: refused, PREINIT is not set"; exit 255; }
        echo "mount_root: $* with PREINIT=$PREINIT"
        """;

    /// <summary>The Live CD's initramfs as an OpenWrt rootfs: procd's init and procd standing in, preinit installed.</summary>
    private static ExtraInitramfs OpenWrtRootfs() => new(
        ("sbin/init", Encoding.UTF8.GetBytes(ProcdInit)),
        ("sbin/procd", Encoding.UTF8.GetBytes(Procd)),
        ("sbin/mount_root", Encoding.UTF8.GetBytes(MountRoot)),
        ("lib/functions.sh", Encoding.UTF8.GetBytes(FunctionsLibrary)),
        ("lib/preinit/05_openwrt_style", Encoding.UTF8.GetBytes(HookFile)),
        ("etc/preinit", InstalledPreinitScript()));

    /// <summary>What `preinit install` (the published binary) writes as /etc/preinit into a rootfs that has /sbin/procd.</summary>
    private static byte[] InstalledPreinitScript()
    {
        var rootfs = Directory.CreateTempSubdirectory("preinit-procd-rootfs.").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootfs, "sbin"));
            File.WriteAllText(Path.Combine(rootfs, "sbin/procd"), Procd);
            var output = Tools.Run(Paths.PublishedBinary, "install", rootfs);
            Assert.Contains("procd's init runs /etc/preinit as its child, so it is a script", output);
            return File.ReadAllBytes(Path.Combine(rootfs, "etc/preinit"));
        }
        finally { Directory.Delete(rootfs, true); }
    }

    [VmFact]
    public void ProcdsInit_RunsPreinitOnceAsItsChild_ProcdStartsAfterIt_AndTheStickKeepsChanges()
    {
        using var rootfs = OpenWrtRootfs();
        var stick = Tools.Image("preinit-procd", 64 << 20, "mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        try
        {
            using (var first = QemuMachine.BootKernel(rootfs.Path, $"preinit.wait=60 {NoFailsafeWait}", QemuMachine.UsbStick(stick)))
            {
                first.OpenShell(BootTimeout);
                var console = first.Console;
                // One stage 2, not PID 1, between procd's init starting it and procd.
                Assert.Single(System.Text.RegularExpressions.Regex.Matches(console, @"stage 2 \(/etc/preinit\) \(pid (\d+)\)"));
                Assert.DoesNotMatch(@"stage 2 \(/etc/preinit\) \(pid 1\)", console);
                AssertInOrder(console, "procd-init: pid 1, running /etc/preinit",
                    "openwrt-style hook: PREINIT=1, /lib/functions.sh was sourced",
                    "changes are saved on /dev/sda", "/sbin/mount_root not run: the root is on the extroot stick already",
                    ".preinit/boots/0001-", ", then procd's init (/sbin/procd)",
                        "preinit done: exiting, procd's init goes on with /sbin/procd", "procd-init: /etc/preinit exited with status 0",
                    "procd: started as pid 1, PREINIT='', .preinit removed, root overlay");
                Assert.DoesNotContain("exec /sbin/init", console);
                Assert.Equal(0, first.Run("echo procd-persisted-$((40 + 2)) > /etc/procd-test && sync", CommandTimeout));
            } // QEMU is killed: no clean shutdown

            using var second = QemuMachine.BootKernel(rootfs.Path, $"preinit.wait=60 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
            second.OpenShell(BootTimeout);
            Assert.Equal(0, second.Run("cat /etc/procd-test", CommandTimeout));
            second.AssertShown("procd-persisted-42", "procd: started as pid 1");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void ProcdsInit_Failsafe_PreinitWaitsForSysupgrade_ThenExits_AndMountRootRunsOnlyOutsideFailsafe()
    {
        using var rootfs = OpenWrtRootfs();
        using var vm = QemuMachine.BootKernel(rootfs.Path, "failsafe=true preinit.extroot=off");
        vm.WaitFor("failsafe: a login shell on /dev/ttyS0", BootTimeout);
        vm.AssertShown("preinit waits here until /tmp/sysupgrade appears");
        Thread.Sleep(TimeSpan.FromSeconds(3)); // procd must not start while failsafe lasts
        Assert.DoesNotContain("procd: started", vm.Console);
        Assert.DoesNotContain("mount_root:", vm.Console);

        var from = vm.Console.Length;
        vm.Type("echo in-failsafe-$FAILSAFE; touch /tmp/sysupgrade");
        vm.WaitFor("in-failsafe-true", CommandTimeout, from);
        vm.WaitFor("/tmp/sysupgrade appeared: failsafe ends, and procd's init goes on with the upgrade", CommandTimeout, from);
        vm.WaitFor("procd-init: /tmp/sysupgrade found, the upgrade would run now", CommandTimeout, from);
        vm.WaitFor("procd: started as pid 1", CommandTimeout, from);
    }

    [VmFact]
    public void ProcdsInit_WithoutAStick_RunsTheRootfsMountRootWithPreinitSet()
    {
        using var rootfs = OpenWrtRootfs();
        using var vm = QemuMachine.BootKernel(rootfs.Path, $"preinit.extroot=off {NoFailsafeWait}");
        vm.OpenShell(BootTimeout);
        AssertInOrder(vm.Console, "mount_root: start with PREINIT=1", "/sbin/mount_root start exited with status 0",
            "preinit done: exiting", "procd: started as pid 1, PREINIT='', .preinit removed");
    }

    /// <summary>No preinit /init before it: the kernel runs procd's init itself (rdinit=), as on an OpenWrt install whose kernel
    /// starts /sbin/init. preinit still runs once as its child, here on the initramfs (so without extroot), and exits.</summary>
    [VmFact]
    public void ProcdsInitAlone_AsTheKernelsInit_RunsPreinitAsItsChild()
    {
        using var rootfs = OpenWrtRootfs();
        using var vm = QemuMachine.BootKernel(rootfs.Path, $"rdinit=/sbin/init {NoFailsafeWait}");
        vm.OpenShell(BootTimeout);
        Assert.DoesNotContain("stage 1 (/init)", vm.Console);
        Assert.DoesNotMatch(@"stage 2 \(/etc/preinit\) \(pid 1\)", vm.Console);
        AssertInOrder(vm.Console, "procd-init: pid 1, running /etc/preinit", "stage 2 (/etc/preinit)",
            "openwrt-style hook: PREINIT=1", "running on the initramfs (no loop root)", "preinit done: exiting",
            "procd-init: /etc/preinit exited with status 0", "procd: started as pid 1, PREINIT='', .preinit removed");
    }

    private static void AssertInOrder(string console, params string[] texts)
    {
        var at = 0;
        foreach (var text in texts)
        {
            var found = console.IndexOf(text, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"console lacks '{text}' after position {at}. Console:\n{console}");
            at = found + text.Length;
        }
    }
}
