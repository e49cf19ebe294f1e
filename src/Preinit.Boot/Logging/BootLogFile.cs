// The whole boot log as a file: lines are kept in memory until /tmp exists, then written to
// /tmp/preinit.log and appended from then on. Stage 1's lines reach stage 2 through a hand-off
// file on /dev (devtmpfs is moved into the new root, so it survives switch_root and exec).
using Serilog.Core;
using Serilog.Events;

namespace Preinit.Boot.Logging;

public sealed class BootLogFile : ILogEventSink
{
    public const string HandOffPath = "/dev/.preinit.log";
    private const int MaxBufferedLines = 20_000;

    private readonly List<string> _buffer = [];
    private StreamWriter? _writer;

    public string? Path { get; private set; }

    public void Emit(LogEvent logEvent)
    {
        var line = $"[{BootClock.Format(BootClock.Uptime)}] {LevelTag(logEvent.Level)}{PlainText.Render(logEvent)}";
        if (logEvent.Exception is { } e) line += Environment.NewLine + e;
        lock (_buffer)
        {
            if (_writer is not null) { _writer.WriteLine(line); return; }
            if (_buffer.Count < MaxBufferedLines) _buffer.Add(line);
        }
    }

    private static string LevelTag(LogEventLevel level) => level switch
    {
        >= LogEventLevel.Error => "error: ",
        LogEventLevel.Warning => "warning: ",
        LogEventLevel.Debug or LogEventLevel.Verbose => "debug: ",
        _ => "",
    };

    /// <summary>Starts writing to <paramref name="path"/>: earlier stages' hand-off, then the buffer, then every new line.</summary>
    public void Attach(string path, string? handOff = HandOffPath)
    {
        lock (_buffer)
        {
            var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write,
                FileShare.ReadWrite)) { AutoFlush = true };
            if (handOff is not null && File.Exists(handOff))
            {
                writer.Write(File.ReadAllText(handOff));
                File.Delete(handOff);
            }
            foreach (var line in _buffer) writer.WriteLine(line);
            _buffer.Clear();
            _writer = writer;
            Path = path;
        }
    }

    /// <summary>Before exec: what is still buffered goes to the hand-off file for the next stage.</summary>
    public void HandOver(string handOff = HandOffPath)
    {
        lock (_buffer)
        {
            _writer?.Flush();
            if (_buffer.Count == 0) return;
            File.AppendAllLines(handOff, _buffer);
            _buffer.Clear();
        }
    }
}
