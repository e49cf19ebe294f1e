// `preinit log`: this boot's log, the boots a stick keeps, their timeline, and one Error: line for
// each kind of bad input.
using Preinit.Cli.Verbs;
using Preinit.Core.BootLogs;
using Xunit;

namespace Preinit.Tests.Unit.BootLogs;

public sealed class LogVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-logverb.").FullName;
    private string Stick => Path.Combine(_dir, "stick");
    private string Boots => Path.Combine(Stick, BootRecordName.Directory);
    private string Current => Path.Combine(_dir, "preinit.log");
    private string Mounts => Path.Combine(_dir, "mounts");

    public LogVerbTests()
    {
        Directory.CreateDirectory(Boots);
        File.WriteAllText(Mounts, $"proc /proc proc rw 0 0\n/dev/sda {Stick} ext4 rw 0 0\noverlay / overlay rw 0 0\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private void Keep(long number, string text) =>
        File.WriteAllText(Path.Combine(Boots, BootRecordName.Format(number, new DateTime(2026, 12, (int)number, 8, 0, 0,
            DateTimeKind.Utc))), text);

    private (int Code, string Out, string Err) Run(int? boot = null, bool list = false, bool timeline = false, bool blame = false,
        string? svg = null, string? from = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = new LogVerb(Current, Mounts).Run(output, error, boot, list, timeline, blame, svg, from);
        return (code, output.ToString(), error.ToString());
    }

    private static void AssertError(string expected, (int Code, string Out, string Err) result)
    {
        Assert.Equal(1, result.Code);
        Assert.Equal($"Error: {expected}\n", result.Err);
        Assert.Equal("", result.Out);
    }

    private void TwoBoots()
    {
        Keep(1, "[   2.000] first boot\n[   2.100] step one (100 ms)\n[   2.200] error: stage 2 failed: boom\n" +
            $"[   2.300] {BootTimeline.SavingPrefix}/x/0001.log{BootTimeline.EndingSeparator}a rescue shell: stage 2 failed: boom\n");
        Keep(2, SampleBootLog.Text);
    }

    [Fact]
    public void NoOptions_PrintsThisBootsLog()
    {
        TwoBoots();
        File.WriteAllText(Current, "[   1.000] the current boot\n");
        var (code, output, _) = Run();
        Assert.Equal(0, code);
        Assert.Equal("[   1.000] the current boot\n", output);
    }

    [Fact]
    public void NoCurrentLog_PrintsTheNewestKeptBoot_FromTheMountedStick()
    {
        TwoBoots();
        var (code, output, _) = Run();
        Assert.Equal(0, code);
        Assert.Equal(SampleBootLog.Text + "\n", output);
    }

    [Fact]
    public void Boot1_IsTheOneBeforeTheNewest_AndMinus1TheSame()
    {
        TwoBoots();
        Assert.StartsWith("[   2.000] first boot\n", Run(boot: 1).Out);
        Assert.StartsWith("[   2.000] first boot\n", Run(boot: -1).Out);
        Assert.StartsWith("[   2.000] first boot\n", Run(boot: 1, from: Stick).Out);
        Assert.StartsWith("[   2.000] first boot\n", Run(boot: 1, from: Boots).Out);
    }

    [Fact]
    public void List_NumbersNewestFirst_WithDateTimeToInitAndHowEachEnded()
    {
        TwoBoots();
        var (code, output, _) = Run(list: true);
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.Equal($"boots kept in {Boots} (0 is the newest):", lines[0]);
        Assert.Matches(@"^   0  2026-12-02 08:00:00    9\.610 s  0002-20261202-080000\.log  init \(/sbin/init\)$", lines[2]);
        Assert.Matches(@"^   1  2026-12-01 08:00:00    2\.300 s  0001-20261201-080000\.log  a rescue shell: stage 2 failed: boom$",
            lines[3]);
    }

    [Fact]
    public void Timeline_ChartsTheChosenBoot()
    {
        TwoBoots();
        var (code, output, _) = Run(boot: 0, timeline: true);
        Assert.Equal(0, code);
        Assert.StartsWith($"boot 0 (0002-20261202-080000.log in {Boots})\n13 steps from 3.100 s to 9.650 s", output);
        Assert.Contains("|   determine_external_root:", output);
        Assert.Contains("slowest steps", output);
        var blame = Run(blame: true).Out.Split('\n');
        Assert.Equal("    4010 ms  failsafe_wait: wait 4 s for the failsafe key", blame[2]);
    }

    [Fact]
    public void Svg_WritesThePicture()
    {
        TwoBoots();
        var svg = Path.Combine(_dir, "boot.svg");
        var (code, output, _) = Run(boot: 1, svg: svg);
        Assert.Equal(0, code);
        Assert.Equal($"wrote the timeline of boot 1 (0001-20261201-080000.log in {Boots}) to {svg}\n", output);
        Assert.Contains("step one (100 ms)", System.Xml.Linq.XDocument.Load(svg).ToString());
    }

    [Fact]
    public void BadInput_GivesOneErrorLine()
    {
        AssertError($"--from {_dir}/none: no such directory or device (give a mounted stick, LABEL=rootfs_data or /dev/NAME)",
            Run(from: $"{_dir}/none"));
        AssertError("--from LABEL: no such directory or device (give a mounted stick, LABEL=rootfs_data or /dev/NAME)", Run(from: "LABEL"));
        AssertError($"--from {_dir}: it has no {BootRecordName.Directory} and holds no boot logs; give the stick's mount point or its " +
            $"{BootRecordName.Directory} directory", Run(from: _dir));
        AssertError($"{Boots} holds no boot logs (boot saves one there for each boot that uses the stick)", Run(list: true));
        TwoBoots();
        AssertError($"--boot 2: {Boots} keeps 2 boots, numbered 0 (the newest) to 1; see preinit log --list", Run(boot: 2));
        AssertError($"--svg {_dir}/no/such/dir/x.svg: cannot write it: Could not find a part of the path '{_dir}/no/such/dir/x.svg'.",
            Run(svg: $"{_dir}/no/such/dir/x.svg"));
        File.WriteAllText(Current, "[   1.000] only notes here\n");
        AssertError($"this boot ({Current}) has no step lines (\"[  uptime] step (N ms)\"), so there is no timeline to show",
            Run(timeline: true));
    }

    [Fact]
    public void NothingMountedHasBoots_AndNoCurrentLog_SaysHowToNameAStick()
    {
        File.WriteAllText(Mounts, "proc /proc proc rw 0 0\n");
        AssertError($"no boot log here: {Current} does not exist and no mounted filesystem has {BootRecordName.Directory}; " +
            "name a stick with --from DIR or --from LABEL=rootfs_data", Run());
    }

    [Fact]
    public void CommandLine_TakesTheOptions_AndBadOnesFail()
    {
        TwoBoots();
        var (code, output, _) = Support.Verbs.Run("log", "--from", Stick, "--boot", "-1");
        Assert.Equal(0, code);
        Assert.StartsWith("[   2.000] first boot", output);
        Assert.Equal(0, Support.Verbs.Run("log", "--from", Stick, "-b", "1", "--timeline").Code);
        Assert.NotEqual(0, Support.Verbs.Run("log", "--boot", "x").Code);
    }
}
