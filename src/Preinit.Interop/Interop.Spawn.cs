// Starting and waiting for child processes without System.Diagnostics.Process: posix_spawn(3)
// with file actions for stdout/stderr, pipe2(2), waitpid(2) and kill(2). PID 1 owns its children.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int SIGKILL = 9, SIGTERM = 15, SIGCHLD = 17, WNOHANG = 1, ECHILD = 10;
    public const short POSIX_SPAWN_SETSID = 0x80;

    /// <summary>posix_spawn_file_actions_t and posix_spawnattr_t are opaque; glibc x86_64 sizes are 80 and 336 bytes.</summary>
    internal const int FileActionsSize = 80, SpawnAttrSize = 336;

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(nint actions);

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(nint actions, int fd, int newFd);

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddOpen(nint actions, int fd, string path, int flags, uint mode);

    [LibraryImport(Name, EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttrInit(nint attr);

    [LibraryImport(Name, EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttrSetFlags(nint attr, short flags);

    [LibraryImport(Name, EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttrDestroy(nint attr);

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(nint actions);

    [LibraryImport(Name, EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnRaw(out int pid, string path, nint fileActions, nint attr, string?[] argv, string?[] envp);

    [LibraryImport(Name, EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int Pipe2Raw(int* fds, int flags);

    [LibraryImport(Name, EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitpidRaw(int pid, out int status, int options);

    [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
    private static partial int KillRaw(int pid, int signal);

    /// <summary>Starts <paramref name="path"/> with these arguments and environment; stdout and stderr go to
    /// <paramref name="outputFd"/> when given (else they are inherited). Returns the child's pid.</summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, int? outputFd) =>
        SpawnWith(path, argv, envp, 0, actions =>
        {
            if (outputFd is not int fd) return;
            FileActionsAddDup2(actions, fd, 1);
            FileActionsAddDup2(actions, fd, 2);
        });

    /// <summary>Starts <paramref name="path"/> in a session of its own with <paramref name="terminal"/> on stdin, stdout
    /// and stderr as its controlling terminal (a session leader that opens a tty without O_NOCTTY acquires it;
    /// glibc makes the new session before the file actions run), as getty would.</summary>
    public static int SpawnOnTerminal(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, string terminal) =>
        SpawnWith(path, argv, envp, POSIX_SPAWN_SETSID, actions =>
        {
            FileActionsAddOpen(actions, 0, terminal, O_RDWR, 0);
            FileActionsAddDup2(actions, 0, 1);
            FileActionsAddDup2(actions, 0, 2);
        });

    /// <summary>Starts a daemon: a session of its own (no terminal whose hangup could reach it) and /dev/null on stdin,
    /// stdout and stderr.</summary>
    public static int SpawnDetached(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp) =>
        SpawnWith(path, argv, envp, POSIX_SPAWN_SETSID, actions =>
        {
            FileActionsAddOpen(actions, 0, "/dev/null", O_RDWR, 0);
            FileActionsAddDup2(actions, 0, 1);
            FileActionsAddDup2(actions, 0, 2);
        });

    private static int SpawnWith(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, short flags, Action<nint> fileActions)
    {
        var actions = Marshal.AllocHGlobal(FileActionsSize);
        var attr = Marshal.AllocHGlobal(SpawnAttrSize);
        try
        {
            FileActionsInit(actions);
            SpawnAttrInit(attr);
            SpawnAttrSetFlags(attr, flags);
            fileActions(actions);
            var errno = PosixSpawnRaw(out var pid, path, actions, attr, [.. argv, null], [.. envp, null]);
            if (errno != 0)
                throw new SystemCallException($"posix_spawn({Quote(path)}, [{string.Join(", ", argv.Select(Quote))}])", errno);
            return pid;
        }
        finally
        {
            FileActionsDestroy(actions);
            SpawnAttrDestroy(attr);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attr);
        }
    }

    /// <summary>A pipe whose two ends are closed on exec (the child gets the write end through dup2).</summary>
    public static unsafe (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        Check(Pipe2Raw(fds, O_CLOEXEC), () => "pipe2(O_CLOEXEC)");
        return (fds[0], fds[1]);
    }

    /// <summary>waitpid; returns the exit code (128 + signal for a killed child), or null with WNOHANG while it runs.</summary>
    public static int? Waitpid(int pid, bool noHang = false)
    {
        var status = 0;
        var result = Check(Retry(() => WaitpidRaw(pid, out status, noHang ? WNOHANG : 0)), () => $"waitpid({pid})");
        if (result == 0) return null;
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>Waits for any child: its pid and exit code (128 + signal when killed); null when there is none (ECHILD),
    /// or, with <paramref name="noHang"/>, when none has ended yet.</summary>
    public static (int Pid, int Code)? WaitAny(bool noHang = false)
    {
        var status = 0;
        var pid = Retry(() => WaitpidRaw(-1, out status, noHang ? WNOHANG : 0));
        if (pid == 0) return null;
        if (pid < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ECHILD) return null;
            throw new SystemCallException("waitpid(-1)", errno);
        }
        var signal = status & 0x7f;
        return (pid, signal == 0 ? (status >> 8) & 0xff : 128 + signal);
    }

    public static void Kill(int pid, int signal) => KillRaw(pid, signal);

    [LibraryImport(Name, EntryPoint = "signal")]
    private static partial nint SignalRaw(int signal, nint handler);

    /// <summary>Gives <paramref name="signal"/> its default action again (signal(2) with SIG_DFL).</summary>
    public static void DefaultAction(int signal) => SignalRaw(signal, 0);
}
