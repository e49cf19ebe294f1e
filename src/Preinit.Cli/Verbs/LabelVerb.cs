// `preinit label DEVICE NEWLABEL`: sets a filesystem label with the filesystem's own tool.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Boot.Platform;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public static class LabelVerb
{
    public static Command Create()
    {
        var device = new Argument<string>("DEVICE") { Description = "device or image file" };
        var label = new Argument<string>("NEWLABEL") { Description = "the label to give it, e.g. rootfs_data" };
        var command = new Command("label", "give a filesystem a label, with the filesystem's own tool") { device, label };
        command.SetAction(result =>
        {
            var path = result.GetValue(device)!;
            if (InputPath.DeviceOrImage(path) is { } problem) return Fail(problem);
            var probed = DeviceProber.ProbePath(path);
            if (probed.Type is null) return Fail($"{path}: no filesystem found; make one with a label, e.g. mkfs.ext4 -L {result.GetValue(label)} {path}");
            if (LabelTool.For(probed.Type, path, result.GetValue(label)!) is not { } tool)
                return Fail($"{path}: {probed.Type} has no label tool");
            var program = ChildProcess.Find(tool.Program);
            if (program is null) return Fail($"{tool.Program} not found: install the {tool.Package} package");
            var run = ChildProcess.Run(program, tool.Arguments);
            foreach (var line in run.Output) Console.Error.WriteLine(line);
            if (run.ExitCode != 0) return Fail($"{tool} exited with {run.ExitCode}");
            var after = DeviceProber.ProbePath(path);
            Console.WriteLine(ProbeVerb.BlkidLine(after, [path]));
            return 0;
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"Error: {message}");
        return 1;
    }
}
