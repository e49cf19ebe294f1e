// Puts /dev/console on stdin, stdout and stderr as the controlling terminal, as OpenWrt's
// init_console and switch_root -c do, so shells started from preinit get job control.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class ConsoleIo
{
    public const string Console = "/dev/console";

    /// <param name="takeTerminal">Make it the controlling terminal of a new session. Not as procd's init's child: a shell
    /// started later takes the terminal from that session, and the hangup it sends would end preinit. Its own session
    /// without a terminal keeps it out of init's process group, which gets that hangup instead (PID 1 is immune).</param>
    public static void Attach(string device = Console, bool takeTerminal = true)
    {
        var fd = Libc.Open(device, Libc.O_RDWR | Libc.O_NOCTTY);
        Libc.Setsid();
        if (takeTerminal)
            try { Libc.Ioctl(fd, Libc.TIOCSCTTY, 1); } catch (SystemCallException) { /* not a tty: still usable */ }
        for (var i = 0; i <= 2; i++) Libc.Dup2(fd, i);
        if (fd > 2) Libc.Close(fd);
    }
}
