// Another distribution's rootfs: Debian bookworm made by mmdebstrap (./publish.sh debian-rootfs,
// cached under out/cache), turned into a Live ISO by `preinit mklive`, booted from a CD with a
// rootfs_data stick. After preinit's pivot systemd is /sbin/init and must reach multi-user.target,
// and a new /etc/hostname must survive the reboot. The stick's upper layer carries the only thing
// the test adds to Debian: an autologin on ttyS0, so commands can be typed.
using System.Text;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class SystemdRootfsTests
{

    private const string Autologin = "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --noclear --keep-baud " +
        "115200,57600,38400,9600 %I $TERM\n";

    [VmFact]
    public void DebianRootfs_MadeLiveByMklive_BootsSystemdToMultiUser_AndKeepsItsHostnameOnTheStick()
    {
        var tarball = Tools.Run(Paths.PublishScript, "debian-rootfs").Trim();
        var work = Directory.CreateTempSubdirectory("preinit-debian.").FullName;
        var stick = Path.Combine(Path.GetTempPath(), $"preinit-debian-{Guid.NewGuid():N}.img");
        try
        {
            var iso = Path.Combine(work, "debian-live.iso");
            var cache = Path.Combine(Paths.Out, "cache");
            var made = Tools.Run(Paths.PublishedBinary, "mklive", tarball, iso, "--kernel", Paths.Kernel,
                "--modules", Path.Combine(cache, "kernel", "lib", "modules"), "--efi", Path.Combine(cache, "efi"),
                "--append", NoFailsafeWait, "--work", Path.Combine(work, "work"));
            Assert.Contains("installing preinit", made);

            var upper = Path.Combine(work, "stick", "upper", "etc", "systemd", "system", "serial-getty@ttyS0.service.d");
            Directory.CreateDirectory(upper);
            File.WriteAllText(Path.Combine(upper, "autologin.conf"), Autologin);
            using (var f = File.Create(stick)) f.SetLength(64 << 20);
            Tools.Run("mkfs.ext4", "-q", "-F", "-L", "rootfs_data", "-d", Path.Combine(work, "stick"), stick);

            using (var first = QemuMachine.Boot(iso, Firmware.SeaBios, BootMedium.Cd, QemuMachine.UsbStick(stick)))
            {
                first.WaitFor("multi-user.target", SlowBootTimeout);
                first.WaitFor("root@debian", SlowBootTimeout);
                first.AssertShown("changes are saved on /dev/sda", "exec /sbin/init");
                Assert.Equal(0, first.Run("systemctl is-system-running --wait | sed 's/^/state-/'", CommandTimeout));
                first.AssertShown("state-running");
                Assert.Equal(0, first.Run("awk '$2 == \"/\" { print \"root-is-\" $3 }' /proc/mounts", CommandTimeout));
                first.AssertShown("root-is-overlay");
                Assert.Equal(0, first.Run("echo persisted-host > /etc/hostname && sync", CommandTimeout));
            } // QEMU is killed after the sync, as when the power goes

            using var second = QemuMachine.Boot(iso, Firmware.SeaBios, BootMedium.Cd, QemuMachine.UsbStick(stick));
            second.WaitFor("root@persisted-host", SlowBootTimeout);
            Assert.Equal(0, second.Run("hostname | sed 's/^/now-/'", CommandTimeout));
            second.AssertShown("now-persisted-host");
        }
        finally
        {
            Directory.Delete(work, true);
            File.Delete(stick);
        }
    }
}
