using Preinit.Boot.Platform;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>init_console: /dev/console becomes stdin, stdout and stderr, and the controlling terminal (as PID 1; see
/// <see cref="ConsoleIo.Attach"/>); with pi_suppress_stderr, stderr goes to /dev/null (preinit's own log is on stdout,
/// kmsg and its file).</summary>
public sealed record ConsoleStep(string Device = ConsoleIo.Console, bool SuppressStderr = false, bool TakeTerminal = true) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        ConsoleIo.Attach(Device, TakeTerminal);
        if (SuppressStderr) StandardError.Direct(suppress: true);
        return StepOutcome.Continue;
    }

    public override string ToString() =>
        $"use {Device} for stdin, stdout and {(SuppressStderr ? "/dev/null for stderr (pi_suppress_stderr)" : "stderr")}";
}
