// What PID 1 does when everything else failed: a shell on the console, again and again, so the
// machine stays usable and the kernel never panics. It never returns.
using Preinit.Boot.Platform;
using Preinit.Interop;
using Serilog;

namespace Preinit.Boot.Stages;

public static class LastResort
{
    public static readonly IReadOnlyList<string> Shells = ["/bin/sh", "/bin/busybox", "/bin/ash"];

    public static void Forever(ILogger log, string why)
    {
        log.Error("{Why}", why);
        log.Error("starting a rescue shell on the console; type 'exit' to get a new one, 'reboot -f' to restart");
        while (true)
        {
            try { ConsoleIo.Attach(); } catch (Exception e) { log.Error("no console: {Error}", e.Message); }
            var shell = Shells.FirstOrDefault(File.Exists);
            if (shell is null)
                log.Error("no shell found ({Shells}); the machine is idle, power it off", string.Join(", ", Shells));
            else
            {
                try
                {
                    string[] args = shell.EndsWith("busybox") ? ["sh"] : [];
                    var status = ChildProcess.RunOnConsole(shell, args);
                    log.Warning("rescue shell exited with status {Status}", status);
                }
                catch (Exception e) { log.Error("cannot start {Shell}: {Error}", shell, e.Message); }
            }
            Thread.Sleep(TimeSpan.FromSeconds(shell is null ? 60 : 1));
            Libc.Sync();
        }
    }
}
