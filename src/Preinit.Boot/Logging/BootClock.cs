// Time since the kernel started, as the kernel prints it ("  1.234"): log lines of both stages
// and dmesg line up. CLOCK_MONOTONIC counts from boot on Linux.
namespace Preinit.Boot.Logging;

public static class BootClock
{
    public static TimeSpan Uptime => TimeSpan.FromMilliseconds(Environment.TickCount64);

    public static string Format(TimeSpan t) => $"{t.TotalSeconds,8:0.000}";
}
