// failsafe_wait's prompt on every active console at once, and the wait for a line: whichever console
// answers first counts. The terminals stay in their line mode, so a key counts once Enter is hit.
using System.Diagnostics;
using System.Text;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Failsafe;

public sealed record KeyWaitResult(bool Failsafe, int? DebugLevel, string? Console);

public static class ConsoleKeyWait
{
    /// <param name="onDebugLevel">Called at once when a debug level is chosen; the wait goes on for [f].</param>
    public static KeyWaitResult Wait(IReadOnlyList<string> consoles, TimeSpan timeout, Action<string> note, Action<int> onDebugLevel)
    {
        var open = new List<(int Fd, string Device, StringBuilder Line)>();
        foreach (var device in consoles)
        {
            try
            {
                var fd = Libc.Open(device, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
                Libc.WriteAll(fd, Encoding.UTF8.GetBytes($"{FailsafeKeys.Prompt}\r\n{FailsafeKeys.DebugPrompt}\r\n"));
                open.Add((fd, device, new StringBuilder()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                note($"failsafe prompt not shown on {device}: {e.Message}");
            }
        }
        int? level = null;
        try
        {
            var clock = Stopwatch.StartNew();
            var buffer = new byte[256];
            while (open.Count > 0 && clock.Elapsed < timeout)
            {
                var ready = Libc.PollReadable(open.ConvertAll(o => o.Fd), (int)Math.Max(1, (timeout - clock.Elapsed).TotalMilliseconds));
                for (var i = 0; i < open.Count; i++)
                {
                    if (!ready[i]) continue;
                    var n = Libc.ReadAvailable(open[i].Fd, buffer);
                    foreach (var c in Encoding.UTF8.GetString(buffer, 0, n))
                    {
                        if (c is not ('\n' or '\r')) { open[i].Line.Append(c); continue; }
                        var key = FailsafeKeys.Parse(open[i].Line.ToString());
                        open[i].Line.Clear();
                        if (key == 'f') return new KeyWaitResult(true, level, open[i].Device);
                        if (key is { } digit)
                        {
                            level = digit - '0';
                            onDebugLevel(level.Value);
                        }
                    }
                }
            }
            return new KeyWaitResult(false, level, null);
        }
        finally
        {
            foreach (var o in open) Libc.Close(o.Fd);
        }
    }
}
