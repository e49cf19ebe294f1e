// failsafe_wait's key reading on a real terminal: a pseudo-terminal pair plays the console, the test
// types on the master side what a user types on the serial line.
using System.Runtime.InteropServices;
using System.Text;
using Preinit.Boot.Failsafe;
using Preinit.Interop;
using Xunit;

namespace Preinit.Tests.Unit.Failsafe;

public sealed partial class ConsoleKeyWaitTests : IDisposable
{
    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt")]
    private static partial int Grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt")]
    private static partial int Unlockpt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r")]
    private static unsafe partial int PtsnameR(int fd, byte* buffer, nuint length);

    private readonly int _master;
    private readonly string _terminal;

    public unsafe ConsoleKeyWaitTests()
    {
        _master = PosixOpenpt(Libc.O_RDWR | Libc.O_NOCTTY);
        Assert.True(_master >= 0 && Grantpt(_master) == 0 && Unlockpt(_master) == 0, "no pseudo-terminal");
        var name = new byte[64];
        fixed (byte* b = name) Assert.Equal(0, PtsnameR(_master, b, (nuint)name.Length));
        _terminal = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
    }

    public void Dispose() => Libc.Close(_master);

    private KeyWaitResult WaitTyping(string typed, TimeSpan timeout, List<int> levels)
    {
        var typist = new Thread(() =>
        {
            Thread.Sleep(200);
            Libc.WriteAll(_master, Encoding.ASCII.GetBytes(typed));
        });
        typist.Start();
        var result = ConsoleKeyWait.Wait([_terminal], timeout, _ => { }, levels.Add);
        typist.Join();
        return result;
    }

    private string Shown()
    {
        var buffer = new byte[4096];
        return Libc.PollReadable([_master], 1000)[0] ? Encoding.ASCII.GetString(buffer, 0, Libc.ReadAvailable(_master, buffer)) : "";
    }

    [Fact]
    public void FAndEnter_EntersFailsafe_AfterADebugLevel()
    {
        var levels = new List<int>();
        var result = WaitTyping("2\nf\n", TimeSpan.FromSeconds(30), levels);
        Assert.Equal(new KeyWaitResult(true, 2, _terminal), result);
        Assert.Equal([2], levels);
        Assert.Contains("Press the [f] key and hit [enter] to enter failsafe mode", Shown());
    }

    [Fact]
    public void OtherInput_IsIgnored_UntilTheTimeout()
    {
        var levels = new List<int>();
        var result = WaitTyping("hello\nfx\n9\n", TimeSpan.FromSeconds(1), levels);
        Assert.Equal(new KeyWaitResult(false, null, null), result);
        Assert.Empty(levels);
    }
}
