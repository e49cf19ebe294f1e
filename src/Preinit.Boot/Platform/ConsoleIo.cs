// Puts /dev/console on stdin, stdout and stderr as the controlling terminal, as OpenWrt's
// init_console and switch_root -c do, so shells started from preinit get job control.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class ConsoleIo
{
    public const string Console = "/dev/console";

    public static void Attach(string device = Console)
    {
        var fd = Libc.Open(device, Libc.O_RDWR | Libc.O_NOCTTY);
        Libc.Setsid();
        try { Libc.Ioctl(fd, Libc.TIOCSCTTY, 1); } catch (SystemCallException) { /* not a tty: still usable */ }
        for (var i = 0; i <= 2; i++) Libc.Dup2(fd, i);
        if (fd > 2) Libc.Close(fd);
    }
}
