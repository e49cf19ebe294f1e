// One USB stick for both the system and its saved changes: a Live image written raw to a stick (as
// any image writer on another OS does) boots in RAM, `preinit stick /dev/sda` adds rootfs_data to the
// very stick the system runs from, and from the next boot on the changes live in that partition.
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class OneStickTests
{
    private const long MiB = 1L << 20;

    [VmFact]
    public void RawImageOnAStick_GetsRootfsDataFromTheRunningSystem_AndTheNextBootSavesChangesThere()
    {
        var stick = Path.Combine(Path.GetTempPath(), $"preinit-onestick-{Guid.NewGuid():N}.img");
        try
        {
            File.Copy(Paths.LiveIso, stick);
            using (var f = new FileStream(stick, FileMode.Open)) f.SetLength(1024 * MiB);

            using (var first = QemuMachine.BootStick(stick, Firmware.SeaBios))
            {
                first.OpenShell(BootTimeout);
                first.AssertShown("NO PERSISTENT STORAGE",
                    "the Live image is on the disk /dev/sda: to keep changes on it, run preinit stick /dev/sda");
                Ok(first, "preinit stick /dev/sda --yes");
                first.AssertShown("partition 3: rootfs_data, 512.0 MiB from 512.0 MiB, a new ext4 filesystem",
                    "The kernel has read the new partition table of /dev/sda.",
                    "Done: /dev/sda has rootfs_data (partition 3). From the next boot on, changes are saved on it.");
                Ok(first, "preinit probe /dev/sda3 | grep -q 'LABEL=\"rootfs_data\"'");
            }

            using (var second = QemuMachine.BootStick(stick, Firmware.SeaBios))
            {
                second.OpenShell(BootTimeout);
                second.AssertShown("LABEL=rootfs_data is /dev/sda3 (ext4)", "changes are saved on /dev/sda3");
                Assert.DoesNotContain("NO PERSISTENT STORAGE", second.Console);
                Ok(second, "echo one-stick > /etc/one-stick-test && sync");
            }

            // The change is in the stick's own rootfs_data partition, read from the host.
            Assert.Equal("one-stick\n", Tools.Run("debugfs", "-R", "cat /upper/etc/one-stick-test", $"{stick}?offset={512 * MiB}"));
        }
        finally { File.Delete(stick); }
    }

    [VmFact]
    public void LiveStickImage_UnderSecureBoot_SavesChangesInItsRootfsDataPartition()
    {
        var stick = Path.Combine(Path.GetTempPath(), $"preinit-livestick-{Guid.NewGuid():N}.img");
        try
        {
            Tools.Run("cp", "--sparse=always", Paths.LiveStickImage, stick);

            using (var first = QemuMachine.BootStick(stick, Firmware.OvmfSecureBoot))
            {
                first.OpenShell(BootTimeout);
                first.AssertShown("firmware: UEFI, Secure Boot on", "LABEL=rootfs_data is /dev/sda3 (ext4)",
                    "changes are saved on /dev/sda3");
                Ok(first, "echo secure-stick > /etc/secure-stick-test && sync");
            }

            using (var second = QemuMachine.BootStick(stick, Firmware.OvmfSecureBoot))
            {
                second.OpenShell(BootTimeout);
                Ok(second, "grep -q secure-stick /etc/secure-stick-test");
                Assert.DoesNotContain("NO PERSISTENT STORAGE", second.Console);
            }

            Assert.Equal("secure-stick\n", Tools.Run("debugfs", "-R", "cat /upper/etc/secure-stick-test", $"{stick}?offset={512 * MiB}"));
        }
        finally { File.Delete(stick); }
    }

    private static void Ok(QemuMachine vm, string command) =>
        Assert.True(vm.Run(command, SlowCommandTimeout) == 0, $"'{command}' failed. Console:\n{vm.Console}");
}
