// Writes each event to /dev/kmsg as "<level>preinit: message" (u-root's ulog/klog_linux.go) so it
// lands in dmesg. The file is opened per event: the kernel's /dev/kmsg rate limit is per open file.
using Preinit.Interop;
using Serilog.Core;
using Serilog.Events;

namespace Preinit.Boot.Logging;

public sealed class KmsgSink(string path = "/dev/kmsg") : ILogEventSink
{
    private const int MaxLine = 900;

    public void Emit(LogEvent logEvent)
    {
        var level = SyslogLevel(logEvent.Level);
        var text = PlainText.Render(logEvent);
        if (logEvent.Exception is { } e) text += ": " + e.Message;
        Write(text, level, path);
    }

    /// <summary>Writes text to the kernel log at a syslog level, one record per line; false when /dev/kmsg cannot be written.</summary>
    public static bool Write(string text, int level, string path = "/dev/kmsg")
    {
        try
        {
            using var kmsg = new FileStream(path, FileMode.Open, FileAccess.Write);
            foreach (var line in text.Split('\n'))
            {
                var record = $"<{level}>preinit: {(line.Length > MaxLine ? line[..MaxLine] : line)}\n";
                kmsg.Write(System.Text.Encoding.UTF8.GetBytes(record));
            }
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>syslog(3) levels: 3 err, 4 warning, 6 info, 7 debug.</summary>
    public static int SyslogLevel(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };

    /// <summary>True when the kernel echoes a kmsg record of this level on the console itself
    /// (its level is below console_loglevel, the first field of /proc/sys/kernel/printk).</summary>
    public static bool KernelEchoes(LogEventLevel level, int consoleLogLevel) => KernelEchoes(SyslogLevel(level), consoleLogLevel);

    public static bool KernelEchoes(int syslogLevel, int consoleLogLevel) => syslogLevel < consoleLogLevel;

    public static int ReadConsoleLogLevel(string path = "/proc/sys/kernel/printk")
    {
        try
        {
            var first = File.ReadAllText(path).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var n) ? n : 0;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
