// The reason for the Live CD: what the user changes under /etc is on the stick after a reboot.
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class PersistenceTests
{

    /// <summary>These tests are about the stick, not failsafe: no 4 s failsafe prompt (the Live CD boot tests keep it).</summary>

    private static QemuMachine Boot(string stick, string append = "", bool writeProtected = false)
    {
        var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=60 {NoFailsafeWait} {append}",
            QemuMachine.UsbStick(stick, writeProtected: writeProtected));
        vm.OpenShell(BootTimeout);
        return vm;
    }

    /// <summary>A 64 MiB ext4 stick image, then debugfs commands on it (the damage a test needs).</summary>
    internal static string Stick(string label, params string[] debugfs)
    {
        var stick = Tools.Image("preinit-persist", 64 << 20, "mkfs.ext4", "-q", "-F", "-L", label);
        foreach (var command in debugfs) Tools.Run("debugfs", "-w", "-R", command, stick);
        return stick;
    }

    [VmFact]
    public void Stick_FirstBootWritesEtc_SecondBootReadsItBack()
    {
        var stick = Stick("rootfs_data");
        try
        {
            using (var first = Boot(stick))
            {
                first.AssertShown("LABEL=rootfs_data is /dev/sda (ext4)", "e2fsck /dev/sda: exit 0", "mounted /dev/sda on /storage",
                    "created /storage/upper (first use of this stick)", "changes are saved on /dev/sda (/storage/upper)");
                Assert.Equal(0, first.Run("awk '$2 == \"/\" { t = $3 } END { print \"root-is-\" t }' /proc/mounts", CommandTimeout));
                first.AssertShown("root-is-overlay");
                // The boot log's line for determine_external_root is the plan, and `preinit extroot` prints the same one.
                const string Plan = "extroot: LABEL=rootfs_data from fstab.@mount[0] (/etc/config/fstab:6): the overlay's upper layer, " +
                    "mounted on /storage with rw,sync";
                first.AssertShown($"determine_external_root: find, check and mount the stick as planned: {Plan}; fsck: yes " +
                    "(enabled_fsck 1); wait: up to ");
                var from = first.Console.Length;
                Assert.Equal(0, first.Run("preinit extroot", CommandTimeout));
                Assert.Contains($"{Plan}\nfsck: yes (enabled_fsck 1)\nwait: up to ", first.Console[from..].Replace("\r", ""));
                Assert.Equal(0, first.Run("echo persisted-$((40 + 2)) > /etc/persist-test && sync", CommandTimeout));
                // First use records which system the stick belongs to, visible in the overlay.
                Assert.Equal(0, first.Run("cat /etc/.extroot-id", CommandTimeout));
                first.AssertShown("system=preinit-livecd x86_64");
            } // QEMU is killed: no clean shutdown, as when the power goes

            using (var second = Boot(stick))
            {
                Assert.Equal(0, second.Run("cat /etc/persist-test", CommandTimeout));
                second.AssertShown("persisted-42", "changes are saved on /dev/sda");
                Assert.DoesNotContain("created /storage/upper", second.Console);

                // Each boot kept its log on the stick, beside upper/: `preinit log` counts back from the newest.
                second.AssertShown("saving this boot's log as /storage/.preinit/boots/0002-");
                var from = second.Console.Length;
                Assert.Equal(0, second.Run("preinit log --list", CommandTimeout));
                var list = second.Console[from..];
                Assert.Matches(@"\n +0  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d+\.\d{3} s  0002-\d{8}-\d{6}\.log  init \(/sbin/init\)", list);
                Assert.Matches(@"\n +1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d+\.\d{3} s  0001-\d{8}-\d{6}\.log  init \(/sbin/init\)", list);
                Assert.Equal(0, second.Run("preinit log --boot 1 | grep -q 'created /storage/upper (first use of this stick)'",
                    CommandTimeout));
                Assert.Equal(1, second.Run("preinit log --boot 0 | grep -q 'created /storage/upper'", CommandTimeout));
                from = second.Console.Length;
                Assert.Equal(0, second.Run("preinit log --timeline", CommandTimeout));
                Assert.Contains("|   determine_external_root:", second.Console[from..]);
                // Blame counts the stick's wait as determine_external_root's own time, beside the e2fsck step logged inside it.
                Assert.Contains(" ms  determine_external_root: find, check and mount the stick as planned", second.Console[from..]);
            }

            // Read on another machine (this one): the records are files at the top of the stick, not in the overlay. QEMU was
            // killed, so the newest may still be only in the ext4 journal: `--from DEVICE` lets the kernel replay it.
            Tier.Require(Tier.RootMissing());
            var loop = Tools.Run("losetup", "--find", "--show", stick).Trim();
            try
            {
                var (code, output, error) = Verbs.Run("log", "--from", loop, "--list");
                Assert.True(code == 0, error);
                Assert.Equal(2, output.Split('\n').Count(l => l.EndsWith("init (/sbin/init)")));
            }
            finally { Tools.Run("losetup", "--detach", loop); }
            Assert.DoesNotContain(".preinit", Tools.Run("debugfs", "-R", "ls /upper", stick));
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void Stick_QemuKilledWhileWriting_ChecksCleanOrIsRepaired_AndWhatWasSyncedIsIntact()
    {
        var stick = Stick("rootfs_data");
        try
        {
            using (var first = Boot(stick))
            {
                Assert.Equal(0, first.Run("echo synced-before-the-kill > /etc/synced && sync", CommandTimeout));
                // Files keep being written, replaced and removed when the power goes.
                Assert.Equal(0, first.Run("(i=0; while :; do dd if=/dev/urandom of=/etc/bulk-$((i % 8)) bs=64k count=8 2>/dev/null; " +
                    "rm -f /etc/bulk-$(((i + 4) % 8)); i=$((i + 1)); done) & sleep 3; ls /etc | grep -c bulk-", CommandTimeout));
            } // killed in the middle of those writes

            using var second = Boot(stick);
            Assert.Matches(@"e2fsck /dev/sda: exit [01]: (no errors|errors corrected) \(\d+ ms\)\r?\n", second.Console);
            second.AssertShown("changes are saved on /dev/sda");
            Assert.Equal(0, second.Run("cat /etc/synced", CommandTimeout));
            second.AssertShown("synced-before-the-kill");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void StickOfAnotherSystem_IsLeftAlone_UntilForcedWhichPairsIt()
    {
        var record = Path.GetTempFileName();
        var file = Path.GetTempFileName();
        File.WriteAllText(record, "system=OpenWrt x86/64\nbuild=r23497\npaired=2024-01-01T00:00:00Z\n");
        File.WriteAllText(file, "written by the other system\n");
        var stick = Stick("rootfs_data", "mkdir upper", "mkdir upper/etc", $"write {record} upper/etc/.extroot-id",
            $"write {file} upper/etc/from-other");
        try
        {
            using (var refused = Boot(stick))
            {
                refused.AssertShown("/dev/sda belongs to another system: its overlay was written by 'OpenWrt x86/64' build r23497",
                    "boot once with preinit.extroot.force=1", "NO PERSISTENT STORAGE: /dev/sda is paired with another system");
                Assert.Equal(1, refused.Run("test -e /etc/from-other", CommandTimeout));
                Assert.Equal(1, refused.Run("grep -q ' /storage ' /proc/mounts", CommandTimeout));
            }

            using var forced = Boot(stick, "preinit.extroot.force=1");
            forced.AssertShown("using it because preinit.extroot.force=1", "changes are saved on /dev/sda",
                "recorded 'preinit-livecd x86_64' build ");
            Assert.Contains("on /dev/sda: the stick is paired with this system", forced.Console);
            Assert.Equal(0, forced.Run("cat /etc/from-other /etc/.extroot-id", CommandTimeout));
            forced.AssertShown("written by the other system", "system=preinit-livecd x86_64");
        }
        finally
        {
            File.Delete(stick);
            File.Delete(record);
            File.Delete(file);
        }
    }

    [VmFact]
    public void WholeRootStick_TargetSlash_BecomesTheRootAndRunsItsOwnInit()
    {
        // A stick holding a whole root (the Live CD's own tree plus a marker), and an fstab saying target /.
        var tree = Directory.CreateTempSubdirectory("preinit-wholeroot.").FullName;
        var stick = Path.Combine(Path.GetTempPath(), $"preinit-wholeroot-{Guid.NewGuid():N}.img");
        try
        {
            Tools.Run("cp", "-a", Paths.InitramfsTree + "/.", tree);
            File.WriteAllText(Path.Combine(tree, "etc/on-the-stick"), "whole-root-stick\n");
            using (var f = File.Create(stick)) f.SetLength(96 << 20);
            Tools.Run("mkfs.ext4", "-q", "-F", "-L", "rootfs_data", "-d", tree, stick);
            const string fstab = "config mount\n\toption target '/'\n\toption label 'rootfs_data'\n\toption enabled_fsck '1'\n";
            using var initramfs = new ExtraInitramfs(("etc/config/fstab", System.Text.Encoding.UTF8.GetBytes(fstab)));
            using var vm = QemuMachine.BootKernel(initramfs.Path, $"preinit.wait=60 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
            var status = vm.WaitFor(InitStarted, BootTimeout);
            Assert.Contains("root=ext4 on /dev/sda", status);
            vm.AssertShown("e2fsck /dev/sda: exit 0", "mounted /dev/sda on /mnt",
                "/ is now the stick's own root filesystem; the RAM root is at /rom",
                "the root is /dev/sda: everything is saved on it");
            vm.OpenShell(BootTimeout);
            Assert.Equal(0, vm.Run("cat /etc/on-the-stick && test -d /rom/etc", CommandTimeout));
            vm.AssertShown("whole-root-stick", "saving this boot's log as /.preinit/boots/0001-");
            // The stick is the root, so its records are at the root's top, and `preinit log` finds them there.
            Assert.Equal(0, vm.Run("preinit log --boot 0 | grep -q 'the root is /dev/sda: everything is saved on it'", CommandTimeout));
        }
        finally
        {
            Directory.Delete(tree, true);
            File.Delete(stick);
        }
    }

    [VmFact]
    public void DataStickInFstab_IsCheckedAndMountedOnItsTargetAfterInit()
    {
        var hello = Path.GetTempFileName();
        File.WriteAllText(hello, "data-stick-42\n");
        var stick = Stick("data", $"write {hello} hello");
        try
        {
            const string fstab = "config mount\n\toption target '/srv/data'\n\toption label 'data'\n\toption enabled_fsck '1'\n";
            using var initramfs = new ExtraInitramfs(("etc/config/fstab", System.Text.Encoding.UTF8.GetBytes(fstab)));
            using var vm = QemuMachine.BootKernel(initramfs.Path, NoFailsafeWait, QemuMachine.UsbStick(stick));
            vm.WaitFor("mounted /dev/sda (ext4) on /srv/data (fstab.@mount[0]: LABEL=data)", BootTimeout);
            vm.AssertShown("has no enabled extroot entry", "e2fsck /dev/sda: exit 0");
            vm.OpenShell(BootTimeout);
            Assert.Equal(0, vm.Run("cat /srv/data/hello", CommandTimeout));
            vm.AssertShown("data-stick-42");
        }
        finally
        {
            File.Delete(stick);
            File.Delete(hello);
        }
    }

    [VmFact]
    public void DirtyStick_IsRepairedAndUsed()
    {
        var stick = Stick("rootfs_data", "ssv free_blocks_count 100", "ssv state 0");
        try
        {
            using var vm = Boot(stick);
            vm.AssertShown("not cleanly unmounted", "e2fsck /dev/sda: exit 1: errors corrected", "changes are saved on /dev/sda");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void DamagedStick_IsNeverWrittenAndTheConsoleSaysSo()
    {
        var stick = Stick("rootfs_data", "set_inode_field <2> links_count 0", "ssv state 0");
        try
        {
            using var vm = Boot(stick);
            vm.AssertShown("e2fsck /dev/sda: exit 4: errors left uncorrected", "mounting it read-only",
                "NO PERSISTENT STORAGE: /dev/sda cannot be mounted on /storage", "changes will not survive a reboot");
            // The kernel refuses this damage even read-only: nothing is mounted, nothing written.
            Assert.Equal(1, vm.Run("grep ' /storage ' /proc/mounts", CommandTimeout));
            Assert.DoesNotContain("changes are saved", vm.Console);
        }
        finally { File.Delete(stick); }
    }

    /// <summary>A stick with a change saved by an earlier boot (/etc/saved-setting), and the rest of its inodes used up
    /// when <paramref name="full"/>: 64 inodes, so filling them takes a few fifos.</summary>
    private static string StickWithSavedChange(bool full)
    {
        var saved = Path.GetTempFileName();
        File.WriteAllText(saved, "saved-42\n");
        var stick = Tools.Image("preinit-persist", 64 << 20, "mkfs.ext4", "-q", "-F", "-m", "0", "-N", "64", "-L", "rootfs_data");
        try
        {
            foreach (var command in new[] { "mkdir upper", "mkdir upper/etc", $"write {saved} upper/etc/saved-setting", "mkdir work" })
                Tools.Run("debugfs", "-w", "-R", command, stick);
            if (full)
            {
                File.WriteAllLines(saved, Enumerable.Range(0, 64).Select(i => $"mknod fill{i} p"));
                Tools.Run("debugfs", "-w", "-f", saved, stick); // the mknods after the last free inode fail; debugfs goes on
                Assert.Contains("Free inodes:              0", Tools.Run("debugfs", "-R", "stats", stick));
            }
            return stick;
        }
        finally { File.Delete(saved); }
    }

    [VmFact]
    public void WriteProtectedStick_ItsSavedChangesAreUsed_NewOnesStayInRam()
    {
        var console = BootWithSavedChangeInUse(full: false, writeProtected: true,
            "/dev/sda is write-protected (the stick's lock switch is on, or the device is read-only)",
            "fsck cannot repair it like this, so it is not checked", "mounted /dev/sda on /storage read-only",
            "NO PERSISTENT STORAGE: /dev/sda is write-protected", "Slide the lock switch of /dev/sda to unlock it");
        Assert.DoesNotContain("e2fsck /dev/sda", console);
    }

    [VmFact]
    public void FullStick_ItsSavedChangesAreUsed_AndTheConsoleSaysHowToMakeRoom()
    {
        var console = BootWithSavedChangeInUse(full: true, writeProtected: false,
            "e2fsck /dev/sda: exit 0", "warning: /dev/sda is full (", "0 inodes free",
            "overlayfs mounted the new root read-only: no room on the stick for its work directory /storage/work",
            "NO PERSISTENT STORAGE: /dev/sda is full", "make room: delete what is not needed under /storage/upper");
        Assert.DoesNotContain("changes are saved on", console);
    }

    /// <summary>Boots with a stick holding a saved change, checks the console shows <paramref name="shown"/>, the saved
    /// change is there and a new one can be made (in RAM); returns the console.</summary>
    private static string BootWithSavedChangeInUse(bool full, bool writeProtected, params string[] shown)
    {
        var stick = StickWithSavedChange(full);
        try
        {
            using var vm = Boot(stick, writeProtected: writeProtected);
            vm.AssertShown([.. shown, "Its saved changes (/storage/upper) are in use, read-only", "new changes stay in RAM",
                "this boot's log is not saved on the stick: /dev/sda takes no changes this boot"]);
            Assert.Equal(0, vm.Run("cat /etc/saved-setting && echo new > /etc/new-setting && echo wrote-$((40 + 2))", CommandTimeout));
            vm.AssertShown("saved-42", "wrote-42");
            vm.Run("preinit extroot | head -n 1", CommandTimeout);
            vm.AssertShown("root now: overlay of the stick's saved changes, read-only, with new changes in RAM (not saved)");
            return vm.Console;
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void StickWithADamagedSuperblock_IsNamedWithTheRepair_WhichWorksFromTheShell()
    {
        var stick = StickWithSavedChange(full: false);
        try
        {
            Tools.DamagePrimarySuperblock(stick);
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=5 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
            vm.OpenShell(BootTimeout);
            vm.AssertShown("/dev/sda  64.0 MiB  (damaged ext4 superblock; its backup says LABEL=\"rootfs_data\"",
                "/dev/sda is LABEL=rootfs_data with a damaged superblock", "Repair it with: e2fsck -p -b 8193 -B 1024 /dev/sda",
                "NO PERSISTENT STORAGE");
            Assert.DoesNotContain("mkfs", vm.Console);

            Assert.Equal(1, vm.Run("e2fsck -p -b 8193 -B 1024 /dev/sda", CommandTimeout)); // 1: errors corrected
            Assert.Equal(0, vm.Run("preinit probe /dev/sda", CommandTimeout));
            vm.AssertShown("/dev/sda: LABEL=\"rootfs_data\"");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void StickWithAnotherLabel_IsReportedWithTheCommandThatFixesIt()
    {
        var stick = Stick("KINGSTON");
        try
        {
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=5 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
            vm.WaitFor(InitStarted, BootTimeout);
            vm.AssertShown("no device matches LABEL=rootfs_data", "/dev/sda  64.0 MiB  ext4  LABEL=\"KINGSTON\"",
                "label it: e2label /dev/sda rootfs_data", "NO PERSISTENT STORAGE");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void HostileStick_BootsToTheConsoleWithTheNotice_AndItsAdviceMakesTheStickUsable()
    {
        // FIFOs where files are read (they block an open or a read forever), and /tmp of the overlay a dangling symlink.
        var tree = Directory.CreateTempSubdirectory("preinit-hostile.").FullName;
        Directory.CreateDirectory(Path.Combine(tree, "upper/etc"));
        Libc.Mknod(Path.Combine(tree, "upper/etc/.extroot-id"), Libc.S_IFIFO | 0b110_100_100, 0);
        Libc.Mknod(Path.Combine(tree, "upper/sysupgrade.tgz"), Libc.S_IFIFO | 0b110_100_100, 0);
        File.CreateSymbolicLink(Path.Combine(tree, "upper/tmp"), "/nowhere");
        File.WriteAllText(Path.Combine(tree, "upper/etc/saved"), "saved\n");
        var stick = Tools.Image("preinit-persist", 64 << 20, "mkfs.ext4", "-q", "-F", "-L", "rootfs_data", "-d", tree);
        Directory.Delete(tree, recursive: true);
        try
        {
            using (var first = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=5 {NoFailsafeWait}", QemuMachine.UsbStick(stick)))
            {
                first.WaitFor(InitStarted, BootTimeout);
                first.AssertShown("NO PERSISTENT STORAGE: the overlay root on /dev/sda failed: " +
                    "the stick has a symbolic link at /storage/upper/tmp",
                    "Remove it from the stick, then reboot: mount /dev/sda /mnt && rm /mnt/upper/tmp && umount /mnt");
                first.OpenShell(BootTimeout);
                Assert.Equal(1, first.Run("grep ' /storage ' /proc/mounts", CommandTimeout));
                // The advice, as the user would type it.
                Assert.Equal(0, first.Run("mount /dev/sda /mnt && rm /mnt/upper/tmp && umount /mnt && sync", CommandTimeout));
            }

            using var second = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=5 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
            second.WaitFor(InitStarted, BootTimeout);
            second.AssertShown("changes are saved on /dev/sda", "/sysupgrade.tgz is a FIFO, not a regular file");
            Assert.DoesNotContain("NO PERSISTENT STORAGE", second.Console);
            second.OpenShell(BootTimeout);
            // The FIFO record was replaced by a real one, naming this stick.
            Assert.Equal(0, second.Run("cat /etc/.extroot-id; ls /etc/saved", CommandTimeout));
            second.AssertShown("system=preinit-livecd x86_64", "uuid=");
        }
        finally { File.Delete(stick); }
    }

    /// <summary>The stick's wait runs while the failsafe prompt waits: a stick plugged in during the prompt (through QEMU's
    /// monitor, a slow stick) is seen before the prompt ends, and then used.</summary>
    [VmFact]
    public void StickPluggedInWhileThePromptWaits_IsFoundThenAndUsed()
    {
        var stick = Stick("rootfs_data");
        try
        {
            using var vm = QemuMachine.BootKernel(Paths.Initramfs, "preinit.wait=60 preinit.fs_failsafe_wait_timeout=10",
                QemuMachine.UsbStick(stick, plugged: false));
            vm.WaitFor("Press the [f] key and hit [enter] to enter failsafe mode", BootTimeout);
            vm.AssertShown("looking for LABEL=rootfs_data while the boot goes on");
            vm.Monitor(QemuMachine.PlugStick);
            var found = vm.WaitFor("LABEL=rootfs_data is /dev/sda (ext4), found after ", BootTimeout);
            vm.WaitFor("changes are saved on /dev/sda", BootTimeout);
            // The search started with the 10 s prompt: found within it means found while the prompt waited. (Its uevent
            // may be lost in a burst; then the wait's own look at the devices finds it.)
            var ms = int.Parse(found.Split("found after ")[1].Split(' ')[0]);
            Assert.True(ms < 10_000, $"the stick was not seen while the prompt waited ({found}). Console:\n{vm.Console}");
        }
        finally { File.Delete(stick); }
    }

    /// <summary>Without a stick the wait ends once nothing could still become it, not after preinit.wait (600 s here: a
    /// wait that ran out would fail the test's boot timeout).</summary>
    [VmFact]
    public void NoStick_BootsVolatileAndSaysSo_WithoutWaitingOutPreinitWait()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=600 {NoFailsafeWait}");
        vm.WaitFor(InitStarted, BootTimeout);
        vm.AssertShown("no match, and nothing left that could be LABEL=rootfs_data: no uevent for 2 s and no USB storage being scanned",
            "no device matches LABEL=rootfs_data", "NO PERSISTENT STORAGE: no device matches LABEL=rootfs_data",
            "changes will not survive a reboot", "this boot's log is not saved on the stick: no stick is in use");
        // And again at login, where the user looks once the boot messages have scrolled away.
        vm.WaitFor("Please press Enter to activate this console", BootTimeout);
        var beforeLogin = vm.Console.Length;
        vm.Type("");
        vm.WaitFor("NO PERSISTENT STORAGE: no device matches LABEL=rootfs_data", CommandTimeout, beforeLogin);
    }
}
