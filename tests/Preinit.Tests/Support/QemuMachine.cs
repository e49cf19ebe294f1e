// A QEMU guest for the VM tier: TCG (KVM guests hang on these machines), serial console on a
// pipe, bounded by a timeout, and no network card unless a test adds its own (QEMU would otherwise
// give every guest one with user-mode networking). Every failure message carries the whole console.
using System.Diagnostics;
using System.Text;
using Xunit;

namespace Preinit.Tests.Support;

public sealed class QemuMachine : IDisposable
{
    private readonly Process _qemu;
    private readonly StringBuilder _console = new();
    private readonly Thread _reader;
    private readonly string _monitorSocket = Path.Combine(Path.GetTempPath(), $"preinit-qemu-{Guid.NewGuid():N}.sock");

    private QemuMachine(IEnumerable<string> args)
    {
        Tier.Require(Tier.VmMissing());
        var info = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-accel", "tcg", "-m", "512M", "-display", "none", "-monitor", $"unix:{_monitorSocket},server,nowait",
                     "-serial", "stdio", "-no-reboot", "-nic", "none" }.Concat(args))
            info.ArgumentList.Add(a);
        _qemu = Process.Start(info)!;
        _reader = new Thread(() => Pump(_qemu.StandardOutput)) { IsBackground = true };
        _reader.Start();
        new Thread(() => Pump(_qemu.StandardError)) { IsBackground = true }.Start();
    }

    public static QemuMachine BootIso(string iso) => new(["-cdrom", iso, "-boot", "d"]);

    /// <summary>SeaBIOS booting a USB disk (a Live image written to a stick) on its own xHCI controller.</summary>
    public static QemuMachine BootUsbDisk(string image, params string[] extra) =>
        new(["-device", "qemu-xhci,id=bootxhci", "-drive", $"if=none,id=boot,format=raw,file={image}",
            "-device", "usb-storage,bus=bootxhci.0,drive=boot,bootindex=0", .. extra]);

    /// <summary>Direct kernel boot, for tests that need their own command line or initramfs.</summary>
    public static QemuMachine BootKernel(string initramfs, string append, params string[] extra) =>
        new(["-kernel", Paths.Kernel, "-initrd", initramfs, "-append", $"console=ttyS0,115200 panic=1 {append}", .. extra]);

    /// <summary>QEMU arguments for a USB stick on an xHCI controller; with <paramref name="plugged"/> false the
    /// drive exists but the stick is plugged in later through <see cref="Monitor"/>; <paramref name="writeProtected"/>
    /// is a stick with its lock switch on (the guest's disk reports Write Protect).</summary>
    public static string[] UsbStick(string image, bool plugged = true, bool writeProtected = false) =>
    [
        "-device", "qemu-xhci,id=xhci",
        "-drive", $"if=none,id=stick,format=raw,file={image}{(writeProtected ? ",readonly=on" : "")}",
        .. plugged ? new[] { "-device", "usb-storage,bus=xhci.0,drive=stick,id=stick0" } : [],
    ];

    public const string PlugStick = "device_add usb-storage,bus=xhci.0,drive=stick,id=stick0";

    /// <summary>Sends one command to the QEMU monitor (e.g. device_add) and returns its reply.</summary>
    public string Monitor(string command)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, 0);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(_monitorSocket));
        using var stream = new System.Net.Sockets.NetworkStream(socket);
        stream.Write(Encoding.UTF8.GetBytes(command + "\n"));
        Thread.Sleep(500);
        var buffer = new byte[8192];
        var n = socket.Available > 0 ? stream.Read(buffer) : 0;
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    public string Console
    {
        get { lock (_console) return _console.ToString(); }
    }

    /// <summary>Waits until the console shows <paramref name="text"/>; fails with the console otherwise.</summary>
    public string WaitFor(string text, TimeSpan timeout) => WaitFor(text, timeout, 0);

    /// <summary>As <see cref="WaitFor(string, TimeSpan)"/>, looking only at console output after <paramref name="from"/>.</summary>
    public string WaitFor(string text, TimeSpan timeout, int from)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var console = Console;
            var at = console.IndexOf(text, Math.Min(from, console.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = console.IndexOf('\n', at);
                return end < 0 ? console[at..] : console[at..end].TrimEnd('\r');
            }
            if (_qemu.HasExited)
                Assert.Fail($"QEMU exited ({_qemu.ExitCode}) before the console showed '{text}'. Console:\n{console}");
            Thread.Sleep(100);
        }
        Assert.Fail($"the console did not show '{text}' within {timeout.TotalSeconds:0} s. Console:\n{Console}");
        return "";
    }

    /// <summary>Waits for busybox init's console prompt and presses Enter, so the Live CD's shell takes commands.</summary>
    public void OpenShell(TimeSpan timeout)
    {
        WaitFor("Please press Enter to activate this console", timeout);
        Type("");
    }

    public void Type(string line)
    {
        _qemu.StandardInput.Write(line + "\n");
        _qemu.StandardInput.Flush();
    }

    /// <summary>Runs a command in the guest's shell and waits for it; returns its exit status. The end marker
    /// is split by quotes, so the console's echo of the typed line does not count as the end.</summary>
    public int Run(string command, TimeSpan timeout)
    {
        var from = Console.Length;
        Type($"{command}; echo \"end\"\"mark=$?\"");
        var line = WaitFor("endmark=", timeout, from);
        return int.Parse(line["endmark=".Length..].Trim());
    }

    /// <summary>Asserts the console contains every text, naming the first missing one.</summary>
    public void AssertShown(params string[] texts)
    {
        var console = Console;
        foreach (var t in texts)
            Assert.True(console.Contains(t, StringComparison.Ordinal), $"console lacks '{t}'. Console:\n{console}");
    }

    private void Pump(StreamReader reader)
    {
        var buffer = new char[4096];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            lock (_console) _console.Append(buffer, 0, n);
    }

    public void Dispose()
    {
        if (!_qemu.HasExited) _qemu.Kill(entireProcessTree: true);
        _qemu.WaitForExit();
        _qemu.Dispose();
        File.Delete(_monitorSocket);
    }
}
