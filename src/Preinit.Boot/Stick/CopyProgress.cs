// Progress of a long write or read-back: on a terminal one line redrawn at most twice a second
// ("written 120.0 MiB of 180.3 MiB (66 %), 14.2 MB/s"); elsewhere only the final line.
using System.Diagnostics;
using Preinit.Core.Sizes;

namespace Preinit.Boot.Stick;

public sealed class CopyProgress(TextWriter output, bool terminal, string verb, long total)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan shown = TimeSpan.Zero;

    public void Report(long done)
    {
        if (!terminal || clock.Elapsed - shown < TimeSpan.FromMilliseconds(500)) return;
        shown = clock.Elapsed;
        output.Write($"\r  {Line(done)}   ");
        output.Flush();
    }

    public void Finish(long done)
    {
        if (terminal) output.Write('\r');
        output.WriteLine($"  {Line(done)} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private string Line(long done)
    {
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var percent = total == 0 ? 100 : done * 100 / total;
        return $"{verb} {ByteSize.Human(done)} of {ByteSize.Human(total)} ({percent} %), {done / seconds / 1e6:0.0} MB/s";
    }
}
