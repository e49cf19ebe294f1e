// Where a boot's time went, read back from its log. StepRunner logs each step once, after it ran:
// "[  uptime] step (N ms)" (a hook function's step as "function: step (N ms)"), or, when an optional
// step failed, "[  uptime] warning: step failed after N ms: error; continuing". The uptime is the
// step's end, so its start is the uptime less the milliseconds. Every other line is ignored.
using System.Globalization;

namespace Preinit.Core.BootLogs;

public sealed class TimedStep(string label, double start, double end, long milliseconds, bool failed)
{
    public string Label { get; } = label;
    /// <summary>Seconds since the kernel started.</summary>
    public double Start { get; internal set; } = start;
    public double End { get; } = end;
    public long Milliseconds { get; } = milliseconds;
    public bool Failed { get; } = failed;
    /// <summary>How many other steps this one ran inside (a hook's functions inside "run hook ...").</summary>
    public int Depth { get; internal set; }
    /// <summary>It ran other steps.</summary>
    public bool Contains { get; internal set; }
    /// <summary>Its time outside the steps it ran: all of it for a step that ran none, a few ms for a hook runner, most of it
    /// for determine_external_root, whose fsck line is a step of its own inside it.</summary>
    public long OwnMilliseconds { get; internal set; } = milliseconds;
}

public sealed class BootTimeline
{
    /// <summary>The line the record's writer logs just before copying the log to the stick, then where the boot went.</summary>
    public const string SavingPrefix = "saving this boot's log as ", EndingSeparator = ", then ";

    /// <summary>StepRunner's milliseconds and the uptime are counted apart and each truncated: a step inside another may
    /// seem to start a millisecond or two before it.</summary>
    private const double Slack = 0.002;

    /// <summary>Starts are uptime less milliseconds, in floating point: equal ones may differ in the last bits.</summary>
    private const double Epsilon = 1e-6;

    public IReadOnlyList<TimedStep> Steps { get; }
    /// <summary>Where the boot went when its log was saved ("init", "a rescue shell: ..."), or null.</summary>
    public string? Ending { get; }
    /// <summary>When <see cref="Ending"/> was logged: the hand-over to init, seconds after the kernel started.</summary>
    public double EndingAt { get; }

    public double Start => Steps.Count == 0 ? 0 : Steps[0].Start;
    public double End { get; }

    private BootTimeline(List<TimedStep> steps, string? ending, double endingAt)
    {
        Nest(steps);
        steps.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Depth.CompareTo(b.Depth));
        CountOwnTime(steps);
        Steps = steps;
        Ending = ending;
        EndingAt = endingAt;
        foreach (var s in steps) End = Math.Max(End, s.End);
    }

    public static BootTimeline Parse(IEnumerable<string> lines)
    {
        var steps = new List<TimedStep>();
        string? ending = null;
        double endingAt = 0;
        foreach (var line in lines)
        {
            if (!TrySplit(line, out var uptime, out var text)) continue;
            if (text.StartsWith(SavingPrefix, StringComparison.Ordinal) && text.IndexOf(EndingSeparator,
                StringComparison.Ordinal) is var at and > 0)
                (ending, endingAt) = (text[(at + EndingSeparator.Length)..], uptime);
            else if (TryStep(text, out var label, out var ms, out var failed))
                steps.Add(new TimedStep(label, uptime - ms / 1000.0, uptime, ms, failed));
        }
        return new BootTimeline(steps, ending, endingAt);
    }

    /// <summary>"[   4.123] text" (the log file) or "[   4.123] preinit: text" (the console); a level tag is dropped.</summary>
    private static bool TrySplit(string line, out double uptime, out string text)
    {
        uptime = 0;
        text = "";
        var close = line.IndexOf(']');
        if (!line.StartsWith('[') || close < 2) return false;
        var number = line[1..close].Trim().Replace(',', '.');
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out uptime)) return false;
        text = line[(close + 1)..].TrimStart().TrimEnd('\r');
        if (text.StartsWith("preinit: ", StringComparison.Ordinal)) text = text["preinit: ".Length..];
        foreach (var tag in (ReadOnlySpan<string>)["warning: ", "error: ", "debug: "])
            if (text.StartsWith(tag, StringComparison.Ordinal)) { text = text[tag.Length..]; break; }
        return true;
    }

    /// <summary>"label (N ms)", or "label failed after N ms: error; continuing".</summary>
    private static bool TryStep(string text, out string label, out long ms, out bool failed)
    {
        (label, ms, failed) = ("", 0, false);
        if (text.EndsWith(" ms)", StringComparison.Ordinal))
        {
            var open = text.LastIndexOf(" (", StringComparison.Ordinal);
            if (open <= 0 || !TryMilliseconds(text[(open + 2)..^4], out ms)) return false;
            label = text[..open];
            return true;
        }
        const string after = " failed after ", unit = " ms: ";
        if (!text.EndsWith("; continuing", StringComparison.Ordinal)) return false;
        for (var at = text.IndexOf(after, StringComparison.Ordinal); at > 0; at = text.IndexOf(after, at + 1, StringComparison.Ordinal))
        {
            var digits = at + after.Length;
            var end = text.IndexOf(unit, digits, StringComparison.Ordinal);
            if (end > digits && TryMilliseconds(text[digits..end], out ms))
            {
                (label, failed) = (text[..at], true);
                return true;
            }
        }
        return false;
    }

    private static bool TryMilliseconds(string text, out long ms) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ms);

    /// <summary>A step logged before a longer one and lying within it ran inside it (a step's line comes after the lines of
    /// what it ran); the longer one is widened to cover it. The slack (see Slack) is at most half the inner step: a step
    /// that started after another ended (the next one) must not count as inside it, and a step of 0 ms gets none (it is
    /// inside only if the other began before it).</summary>
    private static void Nest(List<TimedStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
            for (var o = i + 1; o < steps.Count; o++)
                if (steps[o] is var outer && steps[i] is var inner && outer.Milliseconds > inner.Milliseconds && outer.End >= inner.End
                    && outer.Start < inner.Start + Math.Min(Slack, inner.Milliseconds / 2000.0) - Epsilon)
                {
                    inner.Depth++;
                    outer.Contains = true;
                    outer.Start = Math.Min(outer.Start, inner.Start);
                }
    }

    /// <summary>Takes each step's time from the step it ran inside (its nearest open step one level up, the steps being in
    /// order of start, outer before inner).</summary>
    private static void CountOwnTime(List<TimedStep> steps)
    {
        var open = new List<TimedStep>();
        foreach (var s in steps)
        {
            while (open.Count > 0 && open[^1].Depth >= s.Depth) open.RemoveAt(open.Count - 1);
            if (s.Depth > 0 && open.Count > 0) open[^1].OwnMilliseconds = Math.Max(0, open[^1].OwnMilliseconds - s.Milliseconds);
            open.Add(s);
        }
    }

    /// <summary>Seconds covered by at least one step: the rest of the span went on between steps (a new process starting,
    /// the kernel).</summary>
    public double Covered()
    {
        double covered = 0, reach = double.MinValue;
        foreach (var s in Steps)
        {
            if (s.End <= reach) continue;
            covered += s.End - Math.Max(s.Start, reach);
            reach = s.End;
        }
        return covered;
    }

    /// <summary>The steps by their own time, longest first (systemd-analyze blame): a step that ran others counts only the
    /// time outside them, and is left out when that is none.</summary>
    public List<TimedStep> Blame()
    {
        var blamed = new List<TimedStep>();
        foreach (var s in Steps)
            if (!s.Contains || s.OwnMilliseconds > 0) blamed.Add(s);
        blamed.Sort((a, b) => b.OwnMilliseconds.CompareTo(a.OwnMilliseconds));
        return blamed;
    }
}
