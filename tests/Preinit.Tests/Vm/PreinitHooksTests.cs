// The whole preinit in QEMU: failsafe entered by typing f and Enter on the serial console, or from
// the kernel command line; preinit messages leaving a second guest network card (its frames reach
// the test through QEMU's socket network); a hook file of another package run in its place.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Preinit.Tests.Support;
using Xunit;
using static Preinit.Tests.Support.Guest;

namespace Preinit.Tests.Vm;

public class PreinitHooksTests
{

    [VmFact]
    public void Failsafe_TypingFAndEnter_GivesAShellOnTheConsole_AndNeverInit()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, "preinit.extroot=off preinit.fs_failsafe_wait_timeout=120");
        vm.WaitFor("Press the [f] key and hit [enter] to enter failsafe mode", BootTimeout);
        vm.Type("f");
        vm.WaitFor("failsafe mode chosen on /dev/ttyS0", CommandTimeout);
        vm.WaitFor("failsafe: a login shell on /dev/ttyS0", CommandTimeout);
        vm.AssertShown("- failsafe -", "no failsafe network, so no telnet login");
        Assert.Equal(0, vm.Run("test -e /tmp/.failsafe && echo in-failsafe-$((6 * 7))", CommandTimeout));
        vm.AssertShown("in-failsafe-42");
        // The shell is replaced when it exits, and init never starts.
        vm.Type("exit");
        vm.WaitFor("failsafe shell on /dev/ttyS0 exited with status 0; starting a new one", CommandTimeout);
        Assert.Equal(0, vm.Run("echo still-$((1 + 1))", CommandTimeout));
        Assert.DoesNotContain(InitStarted, vm.Console);
    }

    [VmFact]
    public void Failsafe_FromTheKernelCommandLine_TelnetOnTheFailsafeAddressAndItsMessageOnTheNetwork()
    {
        using var network = new GuestNetwork();
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, "failsafe=true preinit.extroot=off preinit.pi_ifname=eth0",
            network.QemuArguments);
        vm.WaitFor("failsafe: a login shell on /dev/ttyS0", BootTimeout);
        vm.AssertShown("failsafe mode requested on the kernel command line", "eth0 up with 192.168.1.1/24 brd 192.168.1.255",
            "failsafe: telnet 192.168.1.1 (the address of eth0) for a root shell (no password); telnetd listens on that address only");
        // pi_preinit_net_messages is off: only the failsafe message goes out (pi_preinit_no_failsafe_netmsg is n).
        Assert.Equal(["Entering Failsafe!\n"], network.WaitForMessages(1).Select(m => m.Text));
        Assert.True(vm.Run("netstat -ltn | grep -q '192.168.1.1:23 '", CommandTimeout) == 0, vm.Console);
        Assert.DoesNotContain(InitStarted, vm.Console);
    }

    [VmFact]
    public void FailsafeVerb_OnARunningSystem_EntersFailsafeMode()
    {
        using var vm = QemuMachine.BootKernel(Paths.Initramfs, $"preinit.extroot=off {NoFailsafeWait}");
        vm.OpenShell(BootTimeout);
        Assert.Equal(0, vm.Run("(preinit failsafe > /tmp/failsafe.log 2>&1 &); sleep 5; cat /tmp/failsafe.log; test -e /tmp/.failsafe",
            CommandTimeout));
        vm.AssertShown("- failsafe -", "failsafe: a login shell on /dev/ttyS0; reboot (reboot -f) to leave failsafe mode");
    }

    [VmFact]
    public void PreinitMessages_LeaveTheNetworkCard_AndTheAddressIsGoneBeforeInit()
    {
        using var network = new GuestNetwork();
        using var vm = QemuMachine.BootKernel(Paths.Initramfs,
            "preinit.extroot=off preinit.pi_ifname=eth0 preinit.pi_preinit_net_messages=y preinit.fs_failsafe_wait_timeout=1",
                network.QemuArguments);
        vm.WaitFor(InitStarted, BootTimeout);
        var messages = network.WaitForMessages(4);
        Assert.Equal(["Doing OpenWrt Preinit\n", "Please press button now to enter failsafe\n", "Continuing with Regular Preinit\n",
            "Starting init\n"],
            messages.Select(m => m.Text));
        Assert.All(messages, m => Assert.Equal(("192.168.1.1", "192.168.1.255", 4919, 1001), (m.From, m.To, m.Port, m.Length)));
        vm.AssertShown("eth0: 192.168.1.1/24 removed, link down again");
        vm.OpenShell(BootTimeout);
        Assert.Equal(1, vm.Run("ip -4 addr show dev eth0 | grep -q 192.168.1.1", CommandTimeout));
    }

    [VmFact]
    public void ShellHookFile_OfAnotherPackage_RunsInItsPlace_AndCannotReplaceOurs()
    {
        const string hookFile = """
            fake_package_main() {
                echo "fake package ran, failsafe=$FAILSAFE init=$pi_init_cmd" > /tmp/fake-package
                echo "fake package says hello"
            }
            preinit_ip() { echo "must not run" > /tmp/shell-preinit-ip; }
            boot_hook_add preinit_main fake_package_main
            boot_hook_add preinit_main preinit_ip
            """;
        using var initramfs = new ExtraInitramfs(("lib/preinit/50_fake_package", Encoding.UTF8.GetBytes(hookFile)));
        using var vm = QemuMachine.BootKernel(initramfs.Path, $"preinit.extroot=off {NoFailsafeWait}");
        vm.WaitFor(InitStarted, BootTimeout);
        vm.AssertShown("fake package says hello", "fake_package_main (50_fake_package) exited with status 0",
            "preinit_ip from 50_fake_package (ours in 20_indicate_preinit)");
        var console = vm.Console;
        var ranAt = console.IndexOf("fake_package_main: run the shell function", StringComparison.Ordinal);
        Assert.True(console.IndexOf("run_failsafe_hook:", StringComparison.Ordinal) < ranAt
            && ranAt < console.IndexOf("indicate_regular_preinit:", StringComparison.Ordinal),
                "50_fake_package runs between 40_ and 50_indicate_...");
        vm.OpenShell(BootTimeout);
        Assert.Equal(0, vm.Run("cat /tmp/fake-package", CommandTimeout));
        vm.AssertShown("fake package ran, failsafe= init=/sbin/init");
        Assert.Equal(1, vm.Run("test -e /tmp/shell-preinit-ip", CommandTimeout));
    }

    [VmFact]
    public void ModulesBootD_TheModulesItNamesAreLoaded_AndOneMissingIsNamed()
    {
        // mii drives no hardware of this machine (there is no network card), so nothing else loads it.
        using var initramfs = new ExtraInitramfs(("etc/modules-boot.d/30-test",
            "# as OpenWrt's kmod packages write them\nmii\nno-such-module\n"u8.ToArray()));
        using var vm = QemuMachine.BootKernel(initramfs.Path, $"preinit.extroot=off {NoFailsafeWait}");
        vm.WaitFor(InitStarted, BootTimeout);
        vm.AssertShown("/etc/modules-boot.d: loaded mii", "/etc/modules-boot.d/30-test: no-such-module not loaded");
        vm.OpenShell(BootTimeout);
        Assert.Equal(0, vm.Run("cat /sys/module/mii/initstate", CommandTimeout));
        vm.AssertShown("live");
    }

    [VmFact]
    public void SysupgradeArchive_IsRestoredOverTheRoot_AndRemoved()
    {
        var tree = Directory.CreateTempSubdirectory("preinit-backup.").FullName;
        var archive = Path.Combine(Path.GetTempPath(), $"preinit-sysupgrade-{Guid.NewGuid():N}.tgz");
        try
        {
            Directory.CreateDirectory(Path.Combine(tree, "etc/config"));
            File.WriteAllText(Path.Combine(tree, "etc/config/network"), "config interface 'lan'\n\toption ipaddr '10.42.0.1'\n");
            Tools.Run("tar", "czf", archive, "-C", tree, "etc/config");
            using var initramfs = new ExtraInitramfs(("sysupgrade.tgz", File.ReadAllBytes(archive)));
            using var vm = QemuMachine.BootKernel(initramfs.Path, $"preinit.extroot=off {NoFailsafeWait}");
            vm.WaitFor(InitStarted, BootTimeout);
            vm.AssertShown("- config restore - from /sysupgrade.tgz", "/sysupgrade.tgz: 1 files, ", "the archive is removed");
            vm.OpenShell(BootTimeout);
            Assert.Equal(0, vm.Run("grep -o 10.42.0.[0-9] /etc/config/network && test ! -e /sysupgrade.tgz", CommandTimeout));
            vm.AssertShown("10.42.0.1");
        }
        finally
        {
            Directory.Delete(tree, true);
            File.Delete(archive);
        }
    }

    /// <summary>A guest network card whose Ethernet frames QEMU sends to a UDP socket of the test (-netdev socket,udp=).</summary>
    private sealed class GuestNetwork : IDisposable
    {
        private readonly UdpClient _frames = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly List<Message> _messages = [];

        public sealed record Message(string From, string To, int Port, int Length, string Text);

        public string[] QemuArguments { get; }

        public GuestNetwork()
        {
            var qemuPort = FreeUdpPort();
            QemuArguments = ["-netdev",
                $"socket,id=n0,udp=127.0.0.1:{((IPEndPoint)_frames.Client.LocalEndPoint!).Port},localaddr=127.0.0.1:{qemuPort}",
                "-device", "e1000,netdev=n0"];
            new Thread(Receive) { IsBackground = true }.Start();
        }

        private static int FreeUdpPort()
        {
            using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        private void Receive()
        {
            try
            {
                while (true)
                {
                    IPEndPoint? from = null;
                    var frame = _frames.Receive(ref from);
                    if (TryPreinitMessage(frame) is { } message) lock (_messages) _messages.Add(message);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }

        /// <summary>Ethernet II, IPv4, UDP to port 4919, payload 0xDE 0xAD and text (OpenWrt's netmsg).</summary>
        private static Message? TryPreinitMessage(byte[] f)
        {
            if (f.Length < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00 || f[14 + 9] != 17) return null;
            var udp = 14 + (f[14] & 0xf) * 4;
            var port = f[udp + 2] << 8 | f[udp + 3];
            var payload = f.AsSpan(udp + 8);
            if (port != 4919 || payload.Length < 2 || payload[0] != 0xDE || payload[1] != 0xAD) return null;
            var text = payload[2..];
            var nul = text.IndexOf((byte)0);
            return new Message(new IPAddress(f.AsSpan(14 + 12, 4)).ToString(), new IPAddress(f.AsSpan(14 + 16, 4)).ToString(), port,
                payload.Length, Encoding.UTF8.GetString(nul >= 0 ? text[..nul] : text));
        }

        public IReadOnlyList<Message> WaitForMessages(int count)
        {
            for (var waited = 0; waited < 300; waited++)
            {
                lock (_messages) if (_messages.Count >= count) return _messages.ToList();
                Thread.Sleep(100);
            }
            lock (_messages) Assert.Fail($"{_messages.Count} preinit messages arrived, expected {count}: {string.Join(" | ", _messages)}");
            return [];
        }

        public void Dispose() => _frames.Dispose();
    }
}
