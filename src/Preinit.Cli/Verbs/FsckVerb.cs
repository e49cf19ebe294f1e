// `preinit fsck DEVICE [--type T]`: checks a device as boot would, exits with the checker's own
// status and explains it.
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Devices;
using Preinit.Boot.Fsck;

namespace Preinit.Cli.Verbs;

public static class FsckVerb
{
    public static Command Create()
    {
        var device = new Argument<string>("DEVICE") { Description = "device or image file to check (it must not be mounted)" };
        var type = new Option<string?>("--type") { Description = "filesystem type; default: probed, else every checker in turn" };
        var command = new Command("fsck", "check and repair a filesystem as boot would; exit with the checker's status") { device, type };
        command.SetAction(result =>
        {
            var path = result.GetValue(device)!;
            if (InputPath.DeviceOrImage(path) is { } problem) { Console.Error.WriteLine($"Error: {problem}"); return 8; }
            var fsType = result.GetValue(type) ?? DeviceProber.ProbePath(path).Type;
            var outcome = new FsckRunner(line => Console.Error.WriteLine(line), p => DeviceProber.ProbePath(p).Type).Check(path, fsType);
            Console.WriteLine($"{path}: {outcome.Verdict.Action.ToString().ToLowerInvariant()}: {outcome.Verdict.Meaning}");
            if (outcome.Status is null && outcome.Checker is not null) Console.Error.WriteLine($"Error: {path} was not checked: {outcome.Verdict.Meaning}");
            // No status: 0 when the type is never checked (btrfs...); 8 (operational error) when a checker should have
            // run and did not (missing, timed out, none recognised it), even where boot goes on and mounts unchecked.
            return outcome.Status ?? (outcome.Verdict.Action == Core.Fsck.FsckAction.Skip || outcome.Checker is not null ? 8 : 0);
        });
        return command;
    }
}
