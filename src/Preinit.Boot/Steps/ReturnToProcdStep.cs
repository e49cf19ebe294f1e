// run_init under procd's init: nothing to exec. Stage 2 ends here (the rest of preinit_main is
// skipped, as OpenWrt's initramfs_test `break`s out of it) and the process exits; procd's init then
// removes /tmp/.preinit, reads /tmp/debug_level and execs /sbin/procd.
using Preinit.Boot.Logging;
using Preinit.Boot.Stages;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

public sealed class ReturnToProcdStep(BootLogFile log) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        log.HandOver();
        return StepOutcome.EndHook;
    }

    public override string ToString() => $"exit: procd's init goes on with {ProcdInit.Procd}";
}
