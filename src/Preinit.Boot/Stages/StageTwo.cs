// Stage 2 (/etc/preinit): the OpenWrt hook sequence, preinit_essential then preinit_main. As PID 1
// the last function execs init, and if control comes back here, init could not be started: the
// rescue shell. As procd's init's child it returns, and the process exits: whatever failed, procd's
// init goes on (it ignores the status).
using Preinit.Core.Hooks;
using Serilog;

namespace Preinit.Boot.Stages;

public sealed class StageTwo(HookPlan hooks, StepRunner runner, InitHandover handover, ILogger log)
{
    public static readonly IReadOnlyList<string> TopLevelHooks = [HookNames.PreinitEssential, HookNames.PreinitMain];

    /// <summary>Returns only as procd's init's child: the process's exit status (0, or 1 after a failure).</summary>
    public int Run()
    {
        foreach (var problem in hooks.Problems) log.Warning("{Problem}", problem);
        try
        {
            foreach (var hook in TopLevelHooks) runner.RunHook(hook);
            if (handover.ToProcd)
            {
                log.Information("preinit done: exiting, procd's init goes on with {Procd}", ProcdInit.Procd);
                return 0;
            }
            LastResort.Forever(log, "preinit_main finished without starting init");
        }
        catch (Exception e)
        {
            log.Debug("{Exception}", e.ToString());
            if (handover.ToProcd)
            {
                log.Error("stage 2 failed: {Error}; exiting, procd's init goes on with {Procd}", e.Message, ProcdInit.Procd);
                return 1;
            }
            LastResort.Forever(log, $"stage 2 failed: {e.Message}");
        }
        return 1; // not reached
    }
}
