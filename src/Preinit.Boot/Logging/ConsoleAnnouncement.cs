// A message for whoever sits at the machine, after boot: in the kernel log, and on every console
// the kernel has (the screen and the serial port, /sys/class/tty/console/active), not only on
// /dev/console, which is the last console= and on a PC without a serial port reaches nobody. When
// the kernel echoes the record on its consoles itself (its level is below the console log level),
// it is not written there a second time.
using Microsoft.Win32.SafeHandles;
using Preinit.Boot.Failsafe;
using Preinit.Interop;

namespace Preinit.Boot.Logging;

public static class ConsoleAnnouncement
{
    /// <summary>syslog levels: 2 crit for what is being lost now, 5 notice for a hint.</summary>
    public const int Critical = 2, Notice = 5;

    /// <returns>Whether the text reached the kernel log or a console.</returns>
    public static bool Say(string text, int level)
    {
        var logged = KmsgSink.Write(text, level);
        if (logged && KmsgSink.KernelEchoes(level, KmsgSink.ReadConsoleLogLevel())) return true;
        var shown = false;
        foreach (var console in ActiveConsoles.Devices())
        {
            try
            {
                // O_NOCTTY: a terminal opened to say something must not become this process's controlling terminal.
                using var tty = new FileStream(new SafeFileHandle(Libc.Open(console, Libc.O_WRONLY | Libc.O_NOCTTY), ownsHandle: true),
                    FileAccess.Write);
                tty.Write(System.Text.Encoding.UTF8.GetBytes(text + "\r\n"));
                shown = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return logged || shown;
    }
}
