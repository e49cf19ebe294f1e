// `preinit label DEVICE NEWLABEL`: sets a filesystem label with the filesystem's own tool.
using System.CommandLine;
using Preinit.Boot.Devices;
using Preinit.Boot.Platform;
using Preinit.Core.Devices;

namespace Preinit.Cli.Verbs;

public sealed class LabelVerb : Verb
{
    public Argument<string> Device { get; } = new("DEVICE") { Description = "device or image file" };
    public Argument<string> Label { get; } = new("NEWLABEL") { Description = "the label to give it, e.g. rootfs_data" };

    public LabelVerb() : base("label", "give a filesystem a label, with the filesystem's own tool")
    {
        Add(Device);
        Add(Label);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var path = result.GetValue(Device)!;
        if (InputPath.DeviceOrImage(path) is { } problem) return Fail(error, problem);
        var probed = DeviceProber.ProbePath(path);
        if (probed.Type is null)
            return Fail(error, $"{path}: no filesystem found; make one with a label, e.g. mkfs.ext4 -L {result.GetValue(Label)} {path}");
        if (LabelTool.For(probed.Type, path, result.GetValue(Label)!) is not { } tool)
            return Fail(error, $"{path}: {probed.Type} has no label tool");
        var program = ChildProcess.Find(tool.Program);
        if (program is null) return Fail(error, $"{tool.Program} not found: install the {tool.Package} package");
        var run = ChildProcess.Run(program, tool.Arguments);
        foreach (var line in run.Output) error.WriteLine(line);
        if (run.ExitCode != 0) return Fail(error, $"{tool} exited with {run.ExitCode}");
        var after = DeviceProber.ProbePath(path);
        output.WriteLine(ProbeVerb.BlkidLine(after, [path]));
        return 0;
    }
}
