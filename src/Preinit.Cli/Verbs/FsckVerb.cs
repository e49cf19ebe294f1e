// `preinit fsck DEVICE [--type T]`: checks a device as boot would, exits with the checker's own
// status and explains it.
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Devices;
using Preinit.Boot.Fsck;

namespace Preinit.Cli.Verbs;

public sealed class FsckVerb : Verb
{
    public Argument<string> Device { get; } = new("DEVICE") { Description = "device or image file to check (it must not be mounted)" };
    public Option<string?> Type { get; } = new("--type") { Description = "filesystem type; default: probed, else every checker in turn" };

    public FsckVerb() : base("fsck", "check and repair a filesystem as boot would; exit with the checker's status")
    {
        Add(Device);
        Add(Type);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var path = result.GetValue(Device)!;
        if (InputPath.DeviceOrImage(path) is { } problem) { error.WriteLine($"Error: {problem}"); return 8; }
        var fsType = result.GetValue(Type) ?? DeviceProber.ProbePath(path).Type;
        var outcome = new FsckRunner(error.WriteLine, p => DeviceProber.ProbePath(p).Type).Check(path, fsType);
        output.WriteLine($"{path}: {outcome.Verdict.Action.ToString().ToLowerInvariant()}: {outcome.Verdict.Meaning}");
        if (outcome.Status is null && outcome.Checker is not null)
            error.WriteLine($"Error: {path} was not checked: {outcome.Verdict.Meaning}");
        // No status: 0 when the type is never checked (btrfs...); 8 (operational error) when a checker should have
        // run and did not (missing, timed out, none recognised it), even where boot goes on and mounts unchecked.
        return outcome.Status ?? (outcome.Verdict.Action == Core.Fsck.FsckAction.Skip || outcome.Checker is not null ? 8 : 0);
    }
}
