// Builds the Serilog logger in code (configuration-file sinks are not AOT-safe): the console,
// /dev/kmsg when booting, and the boot log file. The level switch lets preinit.debug take effect
// once the settings are read.
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace Preinit.Boot.Logging;

/// <summary>Adds the time since the kernel started, for console lines the kernel does not timestamp itself.</summary>
public sealed class UptimeEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory factory) =>
        logEvent.AddPropertyIfAbsent(new LogEventProperty("Uptime", new ScalarValue(BootClock.Format(BootClock.Uptime))));
}

public sealed class BootLog
{
    public LoggingLevelSwitch Level { get; } = new(LogEventLevel.Information);
    public BootLogFile File { get; } = new();
    public Serilog.ILogger Logger { get; }

    /// <param name="booting">PID 1: also log to /dev/kmsg and keep the boot log file.</param>
    public BootLog(bool booting)
    {
        var config = new LoggerConfiguration().MinimumLevel.ControlledBy(Level);
        if (booting)
        {
            var consoleLevel = KmsgSink.ReadConsoleLogLevel();
            config = config.WriteTo.Sink(new KmsgSink()).WriteTo.Sink(File)
                .WriteTo.Logger(l => l
                    .Filter.ByExcluding(e => KmsgSink.KernelEchoes(e.Level, consoleLevel))
                    .Enrich.With<UptimeEnricher>()
                    .WriteTo.Console(outputTemplate: "[{Uptime}] preinit: {Message:lj}{NewLine}", theme: ConsoleTheme.None));
        }
        else
        {
            config = config.WriteTo.Console(outputTemplate: "{Message:lj}{NewLine}", theme: ConsoleTheme.None,
                standardErrorFromLevel: LogEventLevel.Verbose);
        }
        Logger = config.CreateLogger();
    }
}
