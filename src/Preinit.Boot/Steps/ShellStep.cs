using Preinit.Boot.Platform;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>preinit.shell: a shell on the console; the boot continues when it exits. The shell has the console as
/// stderr (its prompt is there) even when pi_suppress_stderr sends preinit's to /dev/null.</summary>
public sealed record ShellStep(string Shell = "/bin/sh", bool SuppressStderr = false) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        context.Note($"preinit.shell: starting {Shell} on the console; exit it to continue the boot");
        StandardError.Direct(suppress: false);
        var status = ChildProcess.RunOnConsole(Shell, ["-l"]);
        StandardError.Direct(SuppressStderr);
        context.Note($"shell exited with status {status}; continuing");
        return StepOutcome.Continue;
    }

    public override string ToString() => $"start {Shell} on the console and wait for it (preinit.shell)";
}
