// pi_suppress_stderr and pi_init_suppress_stderr: standard error goes to /dev/null, or back to the
// console (standard output) when it should be seen.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class StandardError
{
    public const int Fd = 2;

    public static void Direct(bool suppress)
    {
        if (!suppress)
        {
            Libc.Dup2(1, Fd);
            return;
        }
        var devNull = Libc.Open("/dev/null", Libc.O_WRONLY | Libc.O_CLOEXEC);
        try { Libc.Dup2(devNull, Fd); }
        finally { Libc.Close(devNull); }
    }
}
