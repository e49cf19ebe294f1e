// A session that began without its stick, saved later: the Live CD boots RAM-only (its changes on a
// tmpfs over the RAM root), the stick is plugged in through the QEMU monitor, `preinit persist`
// writes the session's changes onto it, and the next boot with the stick has them. A power cut
// while persist writes (on a stick slowed to 1 MB/s, so the cut is sure to come in the middle)
// leaves a stick that boots with the layer it had, never a mix.
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class PersistSessionTests
{

    /// <summary>A 64 MiB ext4 stick labelled rootfs_data, then debugfs commands on it.</summary>
    private static string Stick(params string[] debugfs)
    {
        var stick = Tools.Image("preinit-session", 64 << 20, "mkfs.ext4", "-q", "-F", "-L", "rootfs_data");
        foreach (var command in debugfs) Tools.Run("debugfs", "-w", "-R", command, stick);
        return stick;
    }

    /// <summary>Boots without the stick, makes the session's changes, then plugs the stick in and waits until it is seen.</summary>
    private static QemuMachine RamSession(string stick, string changes, long writeBytesPerSecond = 0)
    {
        var vm = QemuMachine.BootKernel(Paths.Initramfs, NoFailsafeWait,
            QemuMachine.UsbStick(stick, plugged: false, writeBytesPerSecond: writeBytesPerSecond));
        vm.OpenShell(BootTimeout);
        vm.AssertShown("NO PERSISTENT STORAGE", "/ is now the overlay: lower /rom (the RAM root), upper /tmp/root/upper (RAM, 50%)");
        Assert.Equal(0, vm.Run(changes, SlowCommandTimeout));
        vm.Monitor(QemuMachine.PlugStick);
        Assert.Equal(0, vm.Run("preinit wait LABEL=rootfs_data --timeout 60", SlowCommandTimeout));
        return vm;
    }

    private static QemuMachine BootWithStick(string stick)
    {
        var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.wait=60 {NoFailsafeWait}", QemuMachine.UsbStick(stick));
        vm.OpenShell(BootTimeout);
        vm.AssertShown("changes are saved on /dev/sda");
        return vm;
    }

    [VmFact]
    public void RamSession_PersistOntoAStickPluggedLater_TheNextBootHasTheFileAndTheDeletion()
    {
        var stick = Stick();
        try
        {
            using (var session = RamSession(stick, "echo made-in-$((6 * 7))-ram > /etc/persist-test && rm /etc/mke2fs.conf"))
            {
                Assert.Equal(0, session.Run("preinit persist", SlowCommandTimeout));
                session.AssertShown("saving this session's changes (/tmp/root/upper) onto /dev/sda (LABEL=rootfs_data)",
                    "1 deletion", "onto /dev/sda in", "the next boot with this stick has them");
            } // QEMU is killed: persist wrote everything out before it said so

            using var next = BootWithStick(stick);
            Assert.Equal(0, next.Run("cat /etc/persist-test && test ! -e /etc/mke2fs.conf && echo mke2fs.conf-is-\"gone\"",
                SlowCommandTimeout));
            next.AssertShown("made-in-42-ram", "mke2fs.conf-is-gone");
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void PowerCutDuringPersist_TheStickBootsWithTheLayerItHad_NeverAMix()
    {
        File.WriteAllText("/tmp/preinit-old-marker", "saved before\n");
        var stick = Stick("mkdir upper", "mkdir upper/etc", "write /tmp/preinit-old-marker upper/etc/old-marker");
        try
        {
            using (var session = RamSession(stick,
                "mkdir /etc/bulk && i=0 && while [ $i -lt 200 ]; do echo $i > /etc/bulk/f$i; i=$((i + 1)); done && " +
                "dd if=/dev/urandom of=/etc/bulk/big bs=1M count=16 2>/dev/null", writeBytesPerSecond: 1 << 20))
            {
                var from = session.Console.Length;
                session.Type("preinit persist");
                session.WaitFor("saving this session's changes", SlowCommandTimeout, from);
                // 16 MiB at 1 MiB/s: the new layer cannot be written out, let alone swapped in, within 3 s.
                Thread.Sleep(TimeSpan.FromSeconds(3));
                Assert.DoesNotContain("the next boot with this stick has them", session.Console);
            } // the power goes while persist writes

            using var next = BootWithStick(stick);
            // The marker is split by quotes, so the console's echo of the typed line does not match it.
            Assert.Equal(0, next.Run("echo power-cut\"\"-result bulk-$(ls /etc/bulk 2>/dev/null | wc -l)-files " +
                "old-$(cat /etc/old-marker | tr ' ' -)",
                SlowCommandTimeout));
            var line = next.WaitFor("power-cut-result", SlowCommandTimeout);
            Assert.Contains("old-saved-before", line);
            // Not one file of the half-written layer: the swap had not happened, so upper/ is the layer the stick had.
            Assert.Contains(" bulk-0-files", line);
        }
        finally
        {
            File.Delete(stick);
            File.Delete("/tmp/preinit-old-marker");
        }
    }
}
