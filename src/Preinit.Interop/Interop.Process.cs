// Process-level calls PID 1 needs: execve(2), dup2(2), setsid(2), reboot(2), finit_module(2), uname(2).
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int RB_AUTOBOOT = 0x01234567, RB_POWER_OFF = 0x4321fedc, RB_HALT_SYSTEM = unchecked((int)0xcdef0123);
    public const uint TIOCSCTTY = 0x540E, TIOCNOTTY = 0x5422;
    public const int MODULE_INIT_IGNORE_MODVERSIONS = 1, MODULE_INIT_IGNORE_VERMAGIC = 2;
    internal const long SYS_finit_module = 313;

    [LibraryImport(Name, EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecveRaw(string path, string?[] argv, string?[] envp);

    [LibraryImport(Name, EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2Raw(int oldFd, int newFd);

    [LibraryImport(Name, EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetsidRaw();

    [LibraryImport(Name, EntryPoint = "getpid")]
    public static partial int Getpid();

    [LibraryImport(Name, EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    [LibraryImport(Name, EntryPoint = "reboot", SetLastError = true)]
    private static partial int RebootRaw(int cmd);

    [LibraryImport(Name, EntryPoint = "sync")]
    public static partial void Sync();

    [LibraryImport(Name, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long SyscallFinitModule(long number, int fd, string paramValues, int flags);

    /// <summary>Replaces this process; returns only by throwing.</summary>
    public static void Execve(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        var args = argv.Append(null).ToArray();
        var env = envp.Append(null).ToArray();
        ExecveRaw(path, args!, env!);
        throw new SystemCallException($"execve({Quote(path)}, [{string.Join(", ", argv.Select(Quote))}])",
            Marshal.GetLastPInvokeError());
    }

    public static void Dup2(int oldFd, int newFd) =>
        Check(Retry(() => Dup2Raw(oldFd, newFd)), () => $"dup2({oldFd}, {newFd})");

    /// <summary>setsid; EPERM (already a session leader, as PID 1 is) is not an error here.</summary>
    public static void Setsid() => SetsidRaw();

    public static void Reboot(int cmd) => Check(RebootRaw(cmd), () => $"reboot(0x{cmd:x})");

    /// <summary>Loads a module from an open .ko file; returns 0 or the errno (EEXIST: already loaded).</summary>
    public static int FinitModule(int fd, string parameters) =>
        Retry(() => SyscallFinitModule(SYS_finit_module, fd, parameters, 0)) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
