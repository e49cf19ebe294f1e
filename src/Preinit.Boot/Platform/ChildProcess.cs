// Runs a tool (mke2fs, a shell) as a child: arguments as a list, no shell in between, output
// collected line by line, a time limit, and the real exit status. Built on posix_spawn so PID 1
// keeps control of its children (and the binary stays small).
using System.Text;
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public sealed record ChildResult(int ExitCode, IReadOnlyList<string> Output);

public static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Whether a wait for one child also reaps every other child that has ended. PID 1 is the parent of every
    /// orphan (a hook function's background job, what a rescue shell left): without this they stay zombies.</summary>
    public static bool ReapsOrphans { get; } = global::System.Environment.ProcessId == 1;

    private static readonly object Gate = new();
    private static readonly HashSet<int> Spawned = [];
    private static readonly Dictionary<int, int> Ended = [];

    private static int Spawn(string program, IReadOnlyList<string> arguments, int? outputFd)
    {
        KeepExitStatuses();
        var pid = Libc.Spawn(program, [program, .. arguments], Environment(), outputFd);
        if (ReapsOrphans) lock (Gate) Spawned.Add(pid);
        return pid;
    }

    /// <summary>As PID 1, the exit statuses of children are ours alone to collect. The .NET runtime, once it handles SIGCHLD
    /// (it does as soon as the console is a terminal), reaps every child of a PID 1 on its own signal thread, and a
    /// status it takes is lost to the wait that needed it (a shell's end never seen, fsck's status an ECHILD). SIGCHLD
    /// goes back to its default action before every spawn; the runtime installs its handler only once.</summary>
    public static void KeepExitStatuses()
    {
        if (ReapsOrphans) Libc.DefaultAction(Libc.SIGCHLD);
    }

    /// <summary>The exit status of our child <paramref name="pid"/>, or null while it runs. As PID 1 every other child that
    /// has ended is reaped on the way; a status of another of ours is kept for its own wait, an orphan's is dropped.</summary>
    private static int? Poll(int pid)
    {
        if (!ReapsOrphans) return Libc.Waitpid(pid, noHang: true);
        lock (Gate)
        {
            if (Ended.Remove(pid, out var ended)) { Spawned.Remove(pid); return ended; }
            while (Libc.WaitAny(noHang: true) is { } child)
            {
                if (child.Pid == pid) { Spawned.Remove(pid); return child.Code; }
                if (Spawned.Contains(child.Pid)) Ended[child.Pid] = child.Code;
            }
            return null;
        }
    }

    public static ChildResult Run(string program, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        var (read, write) = Libc.Pipe();
        int pid;
        try { pid = Spawn(program, arguments, write); }
        finally { Libc.Close(write); }

        var output = new List<string>();
        var reader = new Thread(() =>
        {
            using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read, ownsHandle: true), FileAccess.Read);
            using var lines = new StreamReader(stream, Encoding.UTF8);
            while (lines.ReadLine() is { } line) lock (output) output.Add(line);
        }) { IsBackground = true };
        reader.Start();

        var limit = timeout ?? DefaultTimeout;
        var status = WaitUntil(pid, limit) ?? throw Killed(pid, program, limit);
        reader.Join(TimeSpan.FromSeconds(5));
        lock (output) return new ChildResult(status, output.ToList());
    }

    /// <summary>Runs an interactive program on our own stdio (the console) and waits for it.</summary>
    public static int RunOnConsole(string program, IReadOnlyList<string> arguments)
    {
        var pid = Spawn(program, arguments, null);
        return WaitUntil(pid, Timeout.InfiniteTimeSpan) ?? -1;
    }

    /// <summary>Runs a program on our own stdio (its output goes where preinit's goes, so daemons it starts
    /// keep a working stdout) with a time limit; returns the exit status.</summary>
    /// <exception cref="TimeoutException">It ran too long and was killed.</exception>
    public static int RunInherited(string program, IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var pid = Spawn(program, arguments, null);
        return WaitUntil(pid, limit) ?? throw Killed(pid, program, limit);
    }

    private static int? WaitUntil(int pid, TimeSpan limit)
    {
        var deadline = limit == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + limit;
        var pause = 1;
        while (true)
        {
            if (Poll(pid) is int status) return status;
            if (DateTime.UtcNow >= deadline) return null;
            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 50);
        }
    }

    private static TimeoutException Killed(int pid, string program, TimeSpan limit)
    {
        Libc.Kill(pid, Libc.SIGKILL);
        WaitUntil(pid, Timeout.InfiniteTimeSpan);
        return new TimeoutException($"{program} did not finish within {limit.TotalSeconds:0} s and was killed");
    }

    private static List<string> Environment()
    {
        var env = CurrentEnvironment();
        if (global::System.Environment.GetEnvironmentVariable("PATH") is null) env.Add($"PATH={DefaultPath}");
        return env;
    }

    /// <summary>This process's environment as NAME=value strings, for posix_spawn and execve.</summary>
    public static List<string> CurrentEnvironment()
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in global::System.Environment.GetEnvironmentVariables())
            env.Add($"{e.Key}={e.Value}");
        return env;
    }

    public const string DefaultPath = "/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The first of <paramref name="names"/> found on PATH (or as given, if absolute).</summary>
    public static string? Find(params string[] names)
    {
        var path = global::System.Environment.GetEnvironmentVariable("PATH") ?? DefaultPath;
        foreach (var name in names)
        {
            if (name.StartsWith('/')) { if (File.Exists(name)) return name; continue; }
            foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(DefaultPath.Split(':')))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
