using Preinit.Boot.Platform;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>init_console: /dev/console becomes stdin, stdout and stderr, and the controlling terminal.</summary>
public sealed record ConsoleStep(string Device = ConsoleIo.Console) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        ConsoleIo.Attach(Device);
        return StepOutcome.Continue;
    }

    public override string ToString() => $"use {Device} for stdin, stdout and stderr";
}
