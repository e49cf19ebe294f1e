// OpenWrt's run_init: exec env - PATH=$pi_init_path $pi_init_env $pi_init_cmd. The environment is
// replaced, as `env -` does; the command may carry arguments (init=/bin/sh works too). With
// pi_init_suppress_stderr (or pi_suppress_stderr) init's standard error is /dev/null; programs it
// starts on a terminal (getty, the console shell) open their own.
using Preinit.Boot.Logging;
using Preinit.Boot.Platform;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record ExecInitStep(string Command, string SearchPath, IReadOnlyList<string> ExtraEnvironment, BootLogFile Log,
    bool SuppressStderr = false) : IBootStep
{
    public bool Execs => true;

    public StepOutcome Run(IStepContext context)
    {
        var argv = Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (argv.Length == 0)
            throw new InvalidOperationException("pi_init_cmd is empty: set it (default /sbin/init) or remove " +
                "init= from the kernel command line");
        Log.HandOver();
        StandardError.Direct(SuppressStderr);
        Libc.Execve(argv[0], argv, [$"PATH={SearchPath}", .. ExtraEnvironment]);
        return StepOutcome.Continue; // not reached
    }

    public override string ToString() =>
        $"exec {Command} with PATH={SearchPath}{(ExtraEnvironment.Count > 0 ? " " + string.Join(' ', ExtraEnvironment) : "")}" +
        (SuppressStderr ? ", stderr to /dev/null" : "");
}
