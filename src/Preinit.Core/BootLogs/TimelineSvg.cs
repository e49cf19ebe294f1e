// A boot's timeline as a picture, like systemd-analyze plot: a time axis in seconds since the kernel
// started, one bar per step where it ran, labelled with the step and its milliseconds. One
// self-contained SVG file (no scripts, no external styles), so any browser opens it.
using System.Globalization;
using System.Text;

namespace Preinit.Core.BootLogs;

public static class TimelineSvg
{
    private const int Left = 20, Top = 50, Row = 18, Bar = 12, PlotWidth = 900, LabelRoom = 700;

    public static string Render(BootTimeline timeline, string title)
    {
        var from = Math.Floor(timeline.Start);
        var span = Math.Max(timeline.End - from, 0.001);
        var tick = Tick(span);
        var scale = PlotWidth / span;
        var height = Top + timeline.Steps.Count * Row + 30;
        var width = Left + PlotWidth + LabelRoom;
        var svg = new StringBuilder();
        void Add(FormattableString line) => svg.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Add($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        const string Font = "font-family=\"monospace\" font-size=\"11\"";
        Add($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" {Font}>");
        Add($"<title>{Escape(title)}</title>");
        Add($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        Add($"<text x=\"{Left}\" y=\"16\" font-size=\"13\">{Escape(title)}</text>");
        Add($"<text x=\"{Left}\" y=\"32\">{Escape(TimelineChart.Summary(timeline))}</text>");
        for (var t = 0.0; t <= span + 1e-9; t += tick)
        {
            var x = Left + t * scale;
            Add($"<line x1=\"{x:0.#}\" y1=\"{Top - 8}\" x2=\"{x:0.#}\" y2=\"{height - 20}\" stroke=\"#cccccc\"/>");
            Add($"<text x=\"{x:0.#}\" y=\"{Top - 10}\" text-anchor=\"middle\">{from + t:0.###} s</text>");
        }
        var y = Top;
        foreach (var step in timeline.Steps)
        {
            var x = Left + (step.Start - from) * scale;
            var w = Math.Max((step.End - step.Start) * scale, 1);
            var fill = step.Failed ? "#d9534f" : step.Contains ? "#b0c4de" : "#4a7ebb";
            var label = $"{step.Label} ({step.Milliseconds} ms{(step.Failed ? ", failed" : "")})";
            Add($"<g><title>{Escape(label)}</title>");
            Add($"<rect x=\"{x:0.##}\" y=\"{y}\" width=\"{w:0.##}\" height=\"{Bar}\" fill=\"{fill}\"/>");
            Add($"<text x=\"{x + w + 4:0.##}\" y=\"{y + Bar - 2}\">{Escape(label)}</text></g>");
            y += Row;
        }
        Add($"</svg>");
        return svg.ToString();
    }

    /// <summary>A tick of 1, 2 or 5 times a power of ten, so the axis has about ten of them.</summary>
    public static double Tick(double span)
    {
        var rough = span / 10;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in (ReadOnlySpan<double>)[1, 2, 5])
            if (m * power >= rough) return m * power;
        return 10 * power;
    }

    /// <summary>XML text: the five characters XML reserves, and control characters a log line may carry (not allowed in
    /// XML 1.0 at all) as a visible U+FFFD.</summary>
    public static string Escape(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '&') s.Append("&amp;");
            else if (c == '<') s.Append("&lt;");
            else if (c == '>') s.Append("&gt;");
            else if (c == '"') s.Append("&quot;");
            else if (c == '\'') s.Append("&apos;");
            else if ((c < ' ' && c != '\t') || c is '\uFFFE' or '\uFFFF') s.Append('\uFFFD');
            else s.Append(c);
        }
        return s.ToString();
    }
}
