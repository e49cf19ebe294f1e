// failsafe_shell: a login shell on every active console, started again whenever it exits, forever.
// PID 1 also reaps every other child here (telnetd's sessions). Failsafe never continues to init;
// a reboot leaves it.
using Preinit.Boot.Platform;
using Preinit.Boot.Stages;
using Preinit.Interop;

namespace Preinit.Boot.Failsafe;

public static class FailsafeShells
{
    /// <summary>Never returns.</summary>
    public static void Forever(IReadOnlyList<string> consoles, IReadOnlyList<string> environment, Action<string> note)
    {
        var running = new Dictionary<int, string>();
        void Start(string console)
        {
            try { running[Spawn(console, environment)] = console; }
            catch (Exception e) when (e is IOException or InvalidOperationException) { note($"no failsafe shell on {console}: {e.Message}"); }
        }

        ChildProcess.KeepExitStatuses(); // a shell whose end the runtime took would never be started again
        // PID 1 gives up the console as its controlling terminal, so each shell's session can take its own.
        Libc.TryIoctl(0, Libc.TIOCNOTTY, 0);
        foreach (var console in consoles) Start(console);
        note($"failsafe: a login shell on {string.Join(", ", consoles)}; reboot (reboot -f) to leave failsafe mode");
        while (true)
        {
            var child = Libc.WaitAny();
            if (child is null)
            {
                // No children at all: every shell failed to start. Try again, slowly.
                Thread.Sleep(TimeSpan.FromSeconds(5));
                foreach (var console in consoles) Start(console);
                continue;
            }
            if (!running.Remove(child.Value.Pid, out var ended)) continue;
            note($"failsafe shell on {ended} exited with status {child.Value.Code}; starting a new one");
            Thread.Sleep(TimeSpan.FromMilliseconds(500));
            Start(ended);
        }
    }

    private static int Spawn(string console, IReadOnlyList<string> environment)
    {
        var shell = LastResort.Shells.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"no shell found ({string.Join(", ", LastResort.Shells)})");
        string[] argv = shell.EndsWith("busybox", StringComparison.Ordinal) ? [shell, "sh", "-l"] : [shell, "-l"];
        return Libc.SpawnOnTerminal(shell, argv, environment, console);
    }
}
