// failsafe_shell: a login shell on every active console, started again whenever it exits, until the
// boot may end: never as PID 1 (failsafe never continues to init; a reboot leaves it), and as
// procd's init's child when /tmp/sysupgrade appears (sysupgrade in failsafe writes it, and procd's
// init then flashes the image). PID 1 also reaps every other child here (telnetd's sessions).
using Preinit.Boot.Platform;
using Preinit.Boot.Stages;
using Preinit.Interop;

namespace Preinit.Boot.Failsafe;

public static class FailsafeShells
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <param name="ended">Asked between polls: true ends the loop, leaving the shells running.</param>
    public static void Run(IReadOnlyList<string> consoles, IReadOnlyList<string> environment, Func<bool> ended, Action<string> note)
    {
        var running = new Dictionary<int, string>();
        void Start(string console)
        {
            try { running[Spawn(console, environment)] = console; }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                note($"no failsafe shell on {console}: {e.Message}");
            }
        }

        ChildProcess.KeepExitStatuses(); // a shell whose end the runtime took would never be started again
        // Give up the console as the controlling terminal, so each shell's session can take its own.
        Libc.TryIoctl(0, Libc.TIOCNOTTY, 0);
        foreach (var console in consoles) Start(console);
        var since = DateTime.UtcNow;
        while (!ended())
        {
            while (Libc.WaitAny(noHang: true) is { } child)
            {
                if (!running.Remove(child.Pid, out var exited)) continue;
                note($"failsafe shell on {exited} exited with status {child.Code}; starting a new one");
                Thread.Sleep(TimeSpan.FromMilliseconds(500));
                Start(exited);
            }
            // Every shell failed to start: try again, slowly.
            if (running.Count == 0 && DateTime.UtcNow - since > TimeSpan.FromSeconds(5))
            {
                since = DateTime.UtcNow;
                foreach (var console in consoles) Start(console);
            }
            Thread.Sleep(Poll);
        }
    }

    /// <summary>As PID 1: never returns.</summary>
    public static void Forever(IReadOnlyList<string> consoles, IReadOnlyList<string> environment, Action<string> note)
    {
        note($"failsafe: a login shell on {string.Join(", ", consoles)}; reboot (reboot -f) to leave failsafe mode");
        Run(consoles, environment, () => false, note);
    }

    /// <summary>As procd's init's child: returns once <see cref="ProcdInit.SysupgradeFile"/> exists.</summary>
    public static void UntilSysupgrade(IReadOnlyList<string> consoles, IReadOnlyList<string> environment, Action<string> note)
    {
        note($"failsafe: a login shell on {string.Join(", ", consoles)}; reboot (reboot -f) to leave failsafe mode; " +
            $"preinit waits here until {ProcdInit.SysupgradeFile} appears (sysupgrade writes it)");
        Run(consoles, environment, () => File.Exists(ProcdInit.SysupgradeFile), note);
        note($"{ProcdInit.SysupgradeFile} appeared: failsafe ends, and procd's init goes on with the upgrade");
    }

    private static int Spawn(string console, IReadOnlyList<string> environment)
    {
        var shell = LastResort.Shells.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"no shell found ({string.Join(", ", LastResort.Shells)})");
        string[] argv = shell.EndsWith("busybox", StringComparison.Ordinal) ? [shell, "sh", "-l"] : [shell, "-l"];
        return Libc.SpawnOnTerminal(shell, argv, environment, console);
    }
}
