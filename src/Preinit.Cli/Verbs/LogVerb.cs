// `preinit log [--boot N] [--list] [--timeline|--blame] [--svg FILE] [--from DIR|DEVICE]`: this
// boot's log (/tmp/preinit.log), or one of the boots the stick keeps in .preinit/boots (numbered as
// journalctl -b counts back: 0 the newest, 1 the one before), and where a boot's time went.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Hooks;
using Preinit.Boot.Kernel;
using Preinit.Boot.Logging;
using Preinit.Boot.Platform;
using Preinit.Core.BootLogs;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public sealed class LogVerb : Verb
{
    private readonly string _currentLog, _mounts;

    public Option<int?> Boot { get; } = new("--boot", "-b")
    {
        Description = "a boot the stick keeps: 0 the newest (this boot, once it reached init), 1 the one before, ... (-1 works as 1)",
    };
    public Option<bool> ListBoots { get; } = new("--list") { Description = "list the boots the stick keeps: number, " +
        "date, time to init, how each ended" };
    public Option<bool> Timeline { get; } = new("--timeline") { Description = "where the boot's time went: " +
        "one bar per step on the boot's span, then the slowest" };
    public Option<bool> Blame { get; } = new("--blame")
    {
        Description = "every step by its own time (without the steps it ran), slowest first",
    };
    public Option<string?> Svg { get; } = new("--svg") { Description = "write the timeline as an SVG picture to FILE" };
    public Option<string?> From { get; } = new("--from")
    {
        Description = "a mounted stick or its .preinit/boots directory, or a device (LABEL=rootfs_data, /dev/sdb1) to mount read-only; " +
            "default: the mounted stick that has .preinit/boots",
    };

    /// <param name="currentLog">This boot's log (a test gives its own).</param>
    /// <param name="mounts">The mount table the mounted stick is found in.</param>
    public LogVerb(string currentLog = EssentialFsModule.LogPath, string mounts = MountTable.Path)
        : base("log", "print this boot's log or one the stick keeps (.preinit/boots), and where its time went")
    {
        (_currentLog, _mounts) = (currentLog, mounts);
        Add(Boot);
        Add(ListBoots);
        Add(Timeline);
        Add(Blame);
        Add(Svg);
        Add(From);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error) =>
        Run(output, error, result.GetValue(Boot), result.GetValue(ListBoots), result.GetValue(Timeline), result.GetValue(Blame),
            result.GetValue(Svg), result.GetValue(From));

    public int Run(TextWriter output, TextWriter error, int? boot, bool list, bool timeline, bool blame, string? svg, string? from)
    {
        try
        {
            if (from is not null && !Directory.Exists(from))
                return FromDevice(from, top => Show(output, top, boot, list, timeline, blame, svg), error);
            return Show(output, from, boot, list, timeline, blame, svg);
        }
        catch (LogError e) { return Fail(error, e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(error, e.Message); }
    }

    /// <param name="from">The stick's top or its boots directory; null: this boot's log unless a stored boot is asked for.</param>
    private int Show(TextWriter output, string? from, int? boot, bool list, bool timeline, bool blame, string? svg)
    {
        string title;
        string[] lines;
        if (from is null && !list && boot is null && File.Exists(_currentLog))
        {
            title = $"this boot ({_currentLog})";
            lines = BootRecordStore.ReadLines(_currentLog);
        }
        else
        {
            var directory = from is null ? Mounted() : BootsIn(from);
            var records = BootRecordStore.List(directory);
            if (records.Count == 0)
                throw new LogError($"{directory} holds no boot logs (boot saves one there for each boot that uses the stick)");
            if (list) return List(output, directory, records);
            var n = Math.Abs(boot ?? 0);
            if (n >= records.Count)
                throw new LogError($"--boot {boot}: {directory} keeps {records.Count} boot{(records.Count == 1 ? "" : "s")}, " +
                    $"numbered 0 (the newest) to {records.Count - 1}; see preinit log --list");
            var record = records[n];
            title = $"boot {n} ({record.FileName} in {directory})";
            lines = BootRecordStore.ReadLines(Path.Combine(directory, record.FileName));
        }

        if (!timeline && !blame && svg is null)
        {
            foreach (var line in lines)
                if (line.Length > 0) output.WriteLine(line);
            return 0;
        }
        var parsed = BootTimeline.Parse(lines);
        if (parsed.Steps.Count == 0)
            throw new LogError($"{title} has no step lines (\"[  uptime] step (N ms)\"), so there is no timeline to show");
        if (svg is not null)
        {
            try { File.WriteAllText(svg, TimelineSvg.Render(parsed, $"preinit: {title}")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LogError($"--svg {svg}: cannot write it: {e.Message}");
            }
        }
        if (timeline || blame)
        {
            output.WriteLine(title);
            output.Write(blame ? TimelineChart.Blame(parsed) : TimelineChart.Render(parsed));
        }
        if (svg is not null) output.WriteLine($"wrote the timeline of {title} to {svg}");
        return 0;
    }

    private static int List(TextWriter output, string directory, List<BootRecordName> records)
    {
        output.WriteLine($"boots kept in {directory} (0 is the newest):");
        output.WriteLine($"{"boot",4}  {"date (UTC)",-19}  {"to init",9}  {"file",-24}  ended in");
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var parsed = BootTimeline.Parse(BootRecordStore.ReadLines(Path.Combine(directory, r.FileName)));
            var toInit = parsed.Ending is null ? "?" : TimelineChart.Seconds(parsed.EndingAt);
            output.WriteLine($"{i,4}  {r.Utc:yyyy-MM-dd HH:mm:ss}  {toInit,9}  {r.FileName,-24}  " +
                $"{parsed.Ending ?? "(not known: the log ends before the hand-over)"}");
        }
        return 0;
    }

    /// <summary>The boots directory of a stick's top, or the directory itself when it holds the records.</summary>
    private static string BootsIn(string from)
    {
        var nested = Path.Combine(from, BootRecordName.Directory);
        if (Directory.Exists(nested)) return nested;
        if (BootRecordStore.List(from).Count > 0) return from;
        throw new LogError($"--from {from}: it has no {BootRecordName.Directory} and holds no boot logs; give the stick's mount point " +
            $"or its {BootRecordName.Directory} directory");
    }

    /// <summary>On the running system: the stick boot saved to is still mounted (on its target, or as the root itself).</summary>
    private string Mounted()
    {
        var entries = MountTable.Read(_mounts);
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var candidate = Path.Combine(entries[i].Target, BootRecordName.Directory);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new LogError(File.Exists(_currentLog)
            ? $"no mounted filesystem has {BootRecordName.Directory}: name the stick with --from DIR or --from LABEL=rootfs_data"
            : $"no boot log here: {_currentLog} does not exist and no mounted filesystem has {BootRecordName.Directory}; " +
              "name a stick with --from DIR or --from LABEL=rootfs_data");
    }

    /// <summary>A stick not mounted here: mounted read-only on a directory of our own while it is read.</summary>
    private static int FromDevice(string from, Func<string, int> show, TextWriter error)
    {
        if (!DeviceSpec.TryParse(from, out var spec, out _) || (spec.Kind == SpecKind.Path && !File.Exists(from)))
            throw new LogError($"--from {from}: no such directory or device (give a mounted stick, LABEL=rootfs_data or /dev/NAME)");
        ProbedDevice device;
        if (spec.Kind == SpecKind.Path) device = DeviceProber.ProbePath(from);
        else
        {
            var seen = DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate());
            device = DeviceChoice.Choose(spec, seen, DeviceExclusion.Reason).Chosen
                ?? throw new LogError($"--from {from}: no device is {spec} now (preinit find {from} lists what there is)");
        }
        var path = device.Device.DevicePath;
        if (device.Type is not { } type) throw new LogError($"--from {from}: {path} holds no filesystem preinit knows");
        FilesystemDriver.Ensure(new ModuleLoader(ModuleLoader.DefaultDirectory(), error.WriteLine), type, error.WriteLine);
        var mountPoint = Directory.CreateTempSubdirectory("preinit-log.").FullName;
        // The journal is replayed: a stick pulled out or a machine that lost power may hold the newest record only there.
        try { return ReadOnlyStickMount.Read(path, type, mountPoint, show, replayJournal: true); }
        finally { Directory.Delete(mountPoint); }
    }

    /// <summary>Bad input, said in one line.</summary>
    private sealed class LogError(string message) : Exception(message);
}
