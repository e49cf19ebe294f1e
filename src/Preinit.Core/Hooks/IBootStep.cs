// A boot step is a small value: ToString() is its log line, Run does it. A stage is a list of
// steps, so the same list runs for real or is printed by `preinit plan`.
namespace Preinit.Core.Hooks;

public enum StepOutcome
{
    Continue,
    /// <summary>Skip the rest of the current hook (OpenWrt functions may end their hook early).</summary>
    EndHook,
}

public interface IBootStep
{
    /// <summary>A failed optional step is logged as a warning and the boot goes on.</summary>
    bool Optional => false;

    /// <summary>The step replaces the process (exec): its line is logged before it runs, not after.</summary>
    bool Execs => false;

    StepOutcome Run(IStepContext context);
}

/// <summary>What a running step may ask of the stage that runs it.</summary>
public interface IStepContext
{
    /// <summary>Runs the functions of another hook (OpenWrt's boot_run_hook), each at most once per boot.</summary>
    void RunHook(string hook);

    /// <summary>Log a progress line for the current step.</summary>
    void Note(string message);
}
