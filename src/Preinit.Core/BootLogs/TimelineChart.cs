// A boot's timeline as text for the console (systemd-analyze plot and blame, in ASCII so a serial
// console shows it): one row per step in the order they started, a bar placed and scaled on the
// boot's span, the milliseconds; then the slowest steps. Steps run by another are indented under it.
using System.Globalization;
using System.Text;

namespace Preinit.Core.BootLogs;

public static class TimelineChart
{
    public const int DefaultWidth = 120, BarWidth = 32, Slowest = 5;

    public static string Render(BootTimeline timeline, int width = DefaultWidth)
    {
        var text = new StringBuilder();
        text.Append(Summary(timeline)).Append('\n');
        var span = Math.Max(timeline.End - timeline.Start, 0.001);
        var labelWidth = Math.Max(width - BarWidth - 20, 10);
        // The axis: where the bars begin and end, above the first and last column of the bar.
        var axis = Seconds(timeline.Start).PadRight(BarWidth / 2) + Seconds(timeline.End).PadLeft(BarWidth - BarWidth / 2);
        text.Append(CultureInfo.InvariantCulture, $"{"start",8} {"ms",7}  {axis}\n");
        foreach (var step in timeline.Steps)
        {
            var from = (int)Math.Floor((step.Start - timeline.Start) / span * BarWidth);
            var to = (int)Math.Ceiling((step.End - timeline.Start) / span * BarWidth);
            from = Math.Clamp(from, 0, BarWidth - 1);
            to = Math.Clamp(Math.Max(to, from + 1), from + 1, BarWidth);
            var bar = new string(' ', from) + new string(step.Failed ? '!' : '#', to - from) + new string(' ', BarWidth - to);
            var label = new string(' ', 2 * step.Depth) + step.Label + (step.Failed ? " [failed]" : "");
            text.Append(CultureInfo.InvariantCulture, $"{step.Start,8:0.000} {step.Milliseconds,7} |{bar}| {Cut(label, labelWidth)}\n");
        }
        var slowest = timeline.Blame();
        text.Append(CultureInfo.InvariantCulture, $"slowest steps (of {slowest.Count}, each by its own time, without the steps it ran):\n");
        for (var i = 0; i < slowest.Count && i < Slowest; i++)
            text.Append(BlameLine(slowest[i], width));
        return text.ToString();
    }

    /// <summary>Every step by its own time, longest first, as systemd-analyze blame lists units.</summary>
    public static string Blame(BootTimeline timeline, int width = DefaultWidth)
    {
        var text = new StringBuilder();
        text.Append(Summary(timeline)).Append('\n');
        foreach (var step in timeline.Blame()) text.Append(BlameLine(step, width));
        return text.ToString();
    }

    /// <summary>The totals in one line: where the steps began and ended, and how much of that the steps themselves took.</summary>
    public static string Summary(BootTimeline timeline)
    {
        var span = timeline.End - timeline.Start;
        var ending = timeline.Ending is { } e ? $"; then {e} at {Seconds(timeline.EndingAt)}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{timeline.Steps.Count} steps from {Seconds(timeline.Start)} to {Seconds(timeline.End)} after the kernel started " +
            $"({Seconds(span)}, {Seconds(timeline.Covered())} of it in steps, the rest between them){ending}");
    }

    private static string BlameLine(TimedStep step, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"{step.OwnMilliseconds,8} ms  " +
            $"{Cut(step.Label + (step.Failed ? " [failed]" : ""), width - 13)}\n");

    public static string Seconds(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.000} s");

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";
}
