using Preinit.Boot.Logging;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>Once /tmp exists the whole boot log goes to a file there, earlier lines first.</summary>
public sealed record AttachLogFileStep(string Path, BootLogFile Log) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        Log.Attach(Path);
        return StepOutcome.Continue;
    }

    public override string ToString() => $"save the boot log to {Path}";
}
