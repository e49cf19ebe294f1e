using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

/// <summary>OpenWrt's boot_run_hook: runs another hook's functions from inside a function.</summary>
public sealed record RunHookStep(string Hook) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        context.RunHook(Hook);
        return StepOutcome.Continue;
    }

    public override string ToString() => $"run hook {Hook}";
}
