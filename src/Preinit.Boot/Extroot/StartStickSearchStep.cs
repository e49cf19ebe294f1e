// failsafe_wait's first step: the stick's wait starts now, on another thread, so it runs while the
// prompt waits (StickSearch). Not when failsafe mode is chosen already (the stick is left alone), nor
// on the initramfs, where there is no extroot.
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Extroot;

public sealed class StartStickSearchStep(PreinitSettings settings, ExtrootPlanner planner, StickSearch search) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (!settings.Failsafe && !InitramfsTestStep.OnInitramfs()) search.Start(planner.Plan, context.Note);
        return StepOutcome.Continue;
    }

    public override string ToString() => "start looking for the extroot stick, so that it is found while the prompt waits";
}
