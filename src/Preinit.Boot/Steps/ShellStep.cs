using Preinit.Boot.Platform;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>preinit.shell: a shell on the console; the boot continues when it exits.</summary>
public sealed record ShellStep(string Shell = "/bin/sh") : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        context.Note($"preinit.shell: starting {Shell} on the console; exit it to continue the boot");
        var status = ChildProcess.RunOnConsole(Shell, ["-l"]);
        context.Note($"shell exited with status {status}; continuing");
        return StepOutcome.Continue;
    }

    public override string ToString() => $"start {Shell} on the console and wait for it (preinit.shell)";
}
