// Where a boot's time went, read back from its log: the step lines, their nesting, blame, the text
// chart and the SVG picture.
using System.Xml.Linq;
using Preinit.Core.BootLogs;
using Xunit;

namespace Preinit.Tests.Unit.BootLogs;

public class BootTimelineTests
{
    private static readonly BootTimeline Sample = BootTimeline.Parse(SampleBootLog.Lines);

    private static TimedStep Step(string labelStart) => Sample.Steps.Single(s => s.Label.StartsWith(labelStart, StringComparison.Ordinal));

    [Fact]
    public void Parse_StepLines_GiveStartFromUptimeLessDuration_AndOtherLinesAreIgnored()
    {
        Assert.Equal(13, Sample.Steps.Count);
        var first = Sample.Steps[0];
        Assert.Equal("mount proc on /proc", first.Label);
        Assert.Equal(3.100, first.Start, 3);
        Assert.Equal(3.112, first.End, 3);
        Assert.Equal(12, first.Milliseconds);
        Assert.Equal("write the root image /.preinit-root.img (written directly, headroom auto)", Step("write the root").Label);
        Assert.DoesNotContain(Sample.Steps, s => s.Label.Contains("at somewhere") || s.Label.StartsWith("switch_root")
            || s.Label.Contains("found after"));
        Assert.Equal(3.100, Sample.Start, 3);
        Assert.Equal(9.650, Sample.End, 3);
    }

    [Fact]
    public void Parse_FailedOptionalStep_IsAStepMarkedFailed()
    {
        var failed = Step("preinit_ip:");
        Assert.Equal("preinit_ip: bring up eth9", failed.Label);
        Assert.True(failed.Failed);
        Assert.Equal(4, failed.Milliseconds);
        Assert.Equal(4.701, failed.Start, 3);
    }

    [Fact]
    public void Parse_StepsRunByAHook_AreNestedUnderIt_WhichStartsAtTheFirstOfThem()
    {
        var hook = Step("do_mount_extroot:");
        Assert.True(hook.Contains);
        Assert.Equal(0, hook.Depth);
        Assert.Equal(8.740, hook.Start, 3); // widened over the millisecond the two clocks disagree by
        Assert.Equal(1, Step("determine_external_root:").Depth);
        Assert.Equal(1, Step("external_root_pivot:").Depth);
        var order = Sample.Steps.Select(s => s.Label.Split(':')[0]).ToList();
        Assert.True(order.IndexOf("do_mount_extroot") < order.IndexOf("determine_external_root"));
        // A step right after another, ending in the same millisecond, is not inside it: it was logged after it.
        Assert.Equal(0, Step("do_mount_tmpfs:").Depth);
        Assert.Equal(0, Step("run_init: save").Depth);
    }

    [Fact]
    public void Parse_ShortStepsOneAfterAnother_AreNotNested_ButAStepStartingAMillisecondBeforeItsHookIs()
    {
        // From a real boot: a 0 ms step, then the next, within a few milliseconds.
        var timeline = BootTimeline.Parse([
            "[   4.767] do_mount_sysfs: mount sysfs on /sys (0 ms)", "[   4.771] do_mount_tmpfs: mount tmpfs on /tmp (2 ms)",
            "[   4.782] init_pts: mkdir /dev/pts (0 ms)", "[   4.783] do_mount_pts: mount devpts on /dev/pts (1 ms)",
            // The two clocks disagree: the hook seems to start a millisecond after the step it ran.
            "[   5.100] a: inside (19 ms)", "[   5.102] b: run hook x (20 ms)"]);
        Assert.All(timeline.Steps.Take(4), s => Assert.Equal(0, s.Depth));
        Assert.All(timeline.Steps.Take(4), s => Assert.False(s.Contains));
        Assert.Equal(["b: run hook x", "a: inside"], timeline.Steps.Skip(4).Select(s => s.Label));
        Assert.Equal(1, timeline.Steps[5].Depth);
        Assert.Equal(5.081, timeline.Steps[4].Start, 3);
    }

    [Fact]
    public void Parse_RecordsWhereTheBootWent_AndWhen()
    {
        Assert.Equal("init (/sbin/init)", Sample.Ending);
        Assert.Equal(9.610, Sample.EndingAt, 3);
    }

    [Fact]
    public void Parse_ConsoleCapture_ReadsTheSameSteps()
    {
        var timeline = BootTimeline.Parse(["[    1.500] preinit: mount proc on /proc (5 ms)",
            "[    1.600] preinit: warning: x failed after 7 ms: e; continuing"]);
        Assert.Equal(["mount proc on /proc", "x"], timeline.Steps.Select(s => s.Label));
        Assert.Equal(1.495, timeline.Steps[0].Start, 3);
    }

    [Fact]
    public void Parse_NoStepLines_GivesNoSteps()
    {
        Assert.Empty(BootTimeline.Parse(["[   1.000] just a note", "no time stamp (5 ms)", "", "[ nonsense] x (1 ms)"]).Steps);
    }

    [Fact]
    public void Blame_CountsEachStepByItsOwnTime_SlowestFirst()
    {
        var blame = Sample.Blame();
        Assert.Equal(13, blame.Count);
        Assert.StartsWith("failsafe_wait:", blame[0].Label);
        Assert.StartsWith("init_hotplug:", blame[1].Label);
        // The hook ran determine_external_root (560 ms) and external_root_pivot (190 ms): 10 ms are its own.
        Assert.Equal(10, Assert.Single(blame, s => s.Label.StartsWith("do_mount_extroot")).OwnMilliseconds);
    }

    [Fact]
    public void Blame_AStepWithFsckLoggedInside_KeepsTheRestOfItsTime()
    {
        // e2fsck's line reads as a step inside determine_external_root: the wait for the stick is still the slowest.
        var timeline = BootTimeline.Parse([
            "[   6.969] e2fsck /dev/sda: exit 0: no errors (138 ms)",
            "[   6.992] determine_external_root: find, check and mount the stick as planned (1681 ms)",
            "[   7.108] external_root_pivot: make the stick the root (114 ms)",
            "[   7.108] do_mount_extroot: run hook preinit_mount_extroot (1799 ms)",
            "[   7.140] run_init: say - init - (0 ms)",
        ]);
        Assert.Equal([("determine_external_root", 1543L), ("e2fsck /dev/sda", 138L), ("external_root_pivot", 114L),
                ("do_mount_extroot", 4L), ("run_init", 0L)],
            timeline.Blame().Select(s => (s.Label.Split(':')[0], s.OwnMilliseconds)));
        Assert.Contains("    1543 ms  determine_external_root: find, check and mount the stick as planned\n",
            TimelineChart.Blame(timeline));
    }

    [Fact]
    public void Covered_CountsOverlappingStepsOnce()
    {
        // 12 + 260 + 170 (stage 1) + 2 + 0 + 610 + 4 + 4010 + 761 (the hook, widened) + 1 + 40.
        Assert.Equal(5.870, Sample.Covered(), 2);
    }

    [Fact]
    public void Chart_OneRowPerStep_BarsPlacedOnTheSpan_HookStepsIndented_SlowestListed()
    {
        var chart = TimelineChart.Render(Sample).Split('\n');
        Assert.StartsWith("13 steps from 3.100 s to 9.650 s after the kernel started (6.550 s, ", chart[0]);
        Assert.EndsWith("then init (/sbin/init) at 9.610 s", chart[0]);
        var rows = chart.Where(l => l.Contains('|')).ToList();
        Assert.Equal(13, rows.Count);
        Assert.All(rows, r => Assert.Equal(TimelineChart.BarWidth, r.Split('|')[1].Length));
        var first = rows[0].Split('|')[1];
        Assert.StartsWith("#", first);
        var wait = rows.Single(r => r.Contains("failsafe_wait")).Split('|')[1];
        Assert.InRange(wait.Count(c => c == '#'), 19, 21); // 4.01 s of 6.55 s
        var last = rows[^1].Split('|')[1];
        Assert.EndsWith("#", last);
        Assert.Contains(rows, r => r.Contains("|   determine_external_root: find the extroot st"));
        Assert.All(rows, r => Assert.True(r.Length <= TimelineChart.DefaultWidth));
        Assert.Contains(rows, r => r.Contains('!') && r.EndsWith("preinit_ip: bring up eth9 [failed]"));
        Assert.Matches(@"^   4\.710    4010 \|", rows.Single(r => r.Contains("failsafe_wait")));
        var slowest = chart.SkipWhile(l => !l.StartsWith("slowest steps (of 13, each by its own time"))
            .Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(TimelineChart.Slowest, slowest.Count);
        Assert.Equal("    4010 ms  failsafe_wait: wait 4 s for the failsafe key", slowest[0]);
    }

    [Fact]
    public void Chart_LongLabels_AreCutToTheWidth()
    {
        var timeline = BootTimeline.Parse([$"[   1.000] {new string('x', 300)} (5 ms)"]);
        var row = TimelineChart.Render(timeline, width: 100).Split('\n').Single(l => l.Contains('|'));
        Assert.Equal(100, row.Length);
        Assert.EndsWith("...", row);
    }

    [Fact]
    public void Svg_IsWellFormedXml_WithAnAxisAndOneLabelledBarPerStep()
    {
        var lines = SampleBootLog.Lines.Append("[  10.000] odd <label> & \"quotes\" \u0001 (5 ms)");
        var svg = TimelineSvg.Render(BootTimeline.Parse(lines), "boot 0 <test>");
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        var bars = doc.Root.Elements(ns + "g").ToList();
        Assert.Equal(14, bars.Count);
        Assert.All(bars, g => Assert.Single(g.Elements(ns + "rect")));
        Assert.Equal("mount proc on /proc (12 ms)", bars[0].Element(ns + "text")!.Value);
        Assert.Equal("odd <label> & \"quotes\" \uFFFD (5 ms)", bars[^1].Element(ns + "title")!.Value);
        Assert.Equal("boot 0 <test>", doc.Root.Element(ns + "title")!.Value);
        var ticks = doc.Root.Elements(ns + "text").Where(t => (string?)t.Attribute("text-anchor") == "middle").Select(t => t.Value)
            .ToList();
        Assert.Equal(["3 s", "4 s", "5 s", "6 s", "7 s", "8 s", "9 s", "10 s"], ticks);
        // Bars later in time sit further right.
        var x = bars.Select(g => double.Parse(g.Element(ns + "rect")!.Attribute("x")!.Value,
            System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(x[0] < x[5] && x[5] < x[^1]);
    }

    [Theory]
    [InlineData(6.55, 1)]
    [InlineData(0.3, 0.05)]
    [InlineData(25, 5)]
    [InlineData(12, 2)]
    public void Tick_GivesAboutTenTicks(double span, double tick) => Assert.Equal(tick, TimelineSvg.Tick(span), 6);
}
