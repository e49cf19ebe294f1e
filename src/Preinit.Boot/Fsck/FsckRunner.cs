// Checks a device with the right checker: a child process with the arguments as a list (no shell,
// so the status is the checker's own, not a pipe's), its output line by line to the log, a time
// limit, and the verdict. With no known type, every checker is tried in turn as the 2011 patch did.
using Preinit.Boot.Platform;
using Preinit.Core.Fsck;

namespace Preinit.Boot.Fsck;

public sealed record FsckOutcome(FsckChecker? Checker, int? Status, FsckVerdict Verdict);

/// <param name="probeType">The filesystem type on a device now, to confirm a checker tried blind really
/// checked its own kind (fsck.fat exits 1 both for "repaired" and for "this is no FAT").</param>
public sealed class FsckRunner(Action<string> log, Func<string, string?> probeType, TimeSpan? timeout = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    public FsckOutcome Check(string device, string? type)
    {
        if (type is not null && FsckCheckers.NotChecked.TryGetValue(type, out var why))
        {
            log($"not checking {device}: {why}");
            return new(null, null, new FsckVerdict(FsckAction.Continue, why));
        }
        if (type is not null && FsckCheckers.For(type) is { } checker)
            return Run(checker, device);
        if (type is not null)
        {
            log($"no checker known for {type} on {device}; it is mounted unchecked");
            return new(null, null, new FsckVerdict(FsckAction.Continue, $"no checker for {type}"));
        }

        foreach (var candidate in FsckCheckers.All)
        {
            log($"Trying {candidate.Name} on {device}...");
            var outcome = Run(candidate, device);
            if (outcome.Verdict.Action != FsckAction.Skip && FsckCheckers.For(probeType(device) ?? "") == candidate)
                return outcome;
        }
        log($"Giving up fsck on {device}");
        return new(null, null, new FsckVerdict(FsckAction.Skip, "no checker recognised the filesystem; check not complete"));
    }

    public FsckOutcome Run(FsckChecker checker, string device)
    {
        var program = checker.Programs.Select(p => ChildProcess.Find(p)).FirstOrDefault(p => p is not null);
        if (program is null)
        {
            // As OpenWrt's block does: a missing tool must not cost the user the stick and its saved configuration.
            var message = $"{string.Join(" or ", checker.Programs)} not found, so {device} is not checked and is mounted unchecked: " +
                $"install {checker.Package} to check {checker.Type} filesystems";
            log($"warning: {message}");
            return new(checker, null, new FsckVerdict(FsckAction.Continue, message));
        }
        var limit = timeout ?? DefaultTimeout;
        ChildResult result;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try { result = ChildProcess.Run(program, [.. checker.Arguments, device], limit); }
        catch (TimeoutException e)
        {
            log(e.Message);
            return new(checker, null, new FsckVerdict(FsckAction.Skip, $"{Path.GetFileName(program)} took " +
                $"longer than {limit.TotalSeconds:0} s"));
        }
        foreach (var line in result.Output) log($"{Path.GetFileName(program)}: {line}");
        var status = checker.Status(result.ExitCode, result.Output);
        var verdict = FsckPolicy.For(status);
        if (checker.FailureReport?.Invoke(result.Output) is { } failure && result.ExitCode != 0)
            verdict = verdict with { Meaning = $"the check did not happen: {Path.GetFileName(program)} says " +
                $"\"{failure}\"; check not complete" };
        log($"{Path.GetFileName(program)} {device}: exit {result.ExitCode}: {verdict.Meaning} ({clock.ElapsedMilliseconds} ms)");
        return new(checker, result.ExitCode, verdict);
    }
}
