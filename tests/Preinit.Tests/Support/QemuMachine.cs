// A QEMU guest for the VM tier: TCG (KVM guests hang on these machines), serial console on a
// pipe, bounded by a timeout. Every failure message carries the whole console.
using System.Diagnostics;
using System.Text;
using Xunit;

namespace Preinit.Tests.Support;

public sealed class QemuMachine : IDisposable
{
    private readonly Process _qemu;
    private readonly StringBuilder _console = new();
    private readonly Thread _reader;

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
        foreach (var a in new[] { "-accel", "tcg", "-m", "512M", "-display", "none", "-monitor", "none",
                     "-serial", "stdio", "-no-reboot" }.Concat(args))
            info.ArgumentList.Add(a);
        _qemu = Process.Start(info)!;
        _reader = new Thread(() => Pump(_qemu.StandardOutput)) { IsBackground = true };
        _reader.Start();
        new Thread(() => Pump(_qemu.StandardError)) { IsBackground = true }.Start();
    }

    public static QemuMachine BootIso(string iso) => new(["-cdrom", iso, "-boot", "d"]);

    /// <summary>Direct kernel boot, for tests that need their own command line or initramfs.</summary>
    public static QemuMachine BootKernel(string initramfs, string append) =>
        new(["-kernel", Paths.Kernel, "-initrd", initramfs, "-append", $"console=ttyS0,115200 panic=1 {append}"]);

    public string Console
    {
        get { lock (_console) return _console.ToString(); }
    }

    /// <summary>Waits until the console shows <paramref name="text"/>; fails with the console otherwise.</summary>
    public string WaitFor(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var console = Console;
            var at = console.IndexOf(text, StringComparison.Ordinal);
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

    public void Type(string line)
    {
        _qemu.StandardInput.Write(line + "\n");
        _qemu.StandardInput.Flush();
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
    }
}
