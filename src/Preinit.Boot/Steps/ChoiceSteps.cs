// choose_device_fs and choose_console: what the next function (init_device_fs, init_console) will
// use, decided and logged before it acts, as OpenWrt splits them.
using Preinit.Boot.Failsafe;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>choose_device_fs: devtmpfs when the kernel has it, else static nodes made with mknod.</summary>
public sealed record ChooseDeviceFsStep(string ProcFilesystems = "/proc/filesystems") : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        var devtmpfs = File.Exists(ProcFilesystems)
            && File.ReadLines(ProcFilesystems).Any(l => l.EndsWith("\tdevtmpfs", StringComparison.Ordinal));
        context.Note(devtmpfs ? "/dev: devtmpfs (the kernel makes the nodes)" : "/dev: " +
            "no devtmpfs in this kernel; static nodes with mknod");
        return StepOutcome.Continue;
    }

    public override string ToString() => "choose what /dev is: devtmpfs, or static nodes";
}

/// <summary>choose_console: the consoles the kernel writes to; preinit and init use /dev/console, failsafe all of them.</summary>
public sealed record ChooseConsoleStep : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        context.Note($"consoles: {string.Join(", ", ActiveConsoles.Devices())} (/dev/console is the last of them)");
        return StepOutcome.Continue;
    }

    public override string ToString() => "list the active consoles";
}
