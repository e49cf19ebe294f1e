// Stage 2 (/etc/preinit): the OpenWrt hook sequence, preinit_essential then preinit_main. As PID 1
// the last function execs init, and if control comes back here, init could not be started: the
// rescue shell. As procd's init's child it returns, and the process exits: whatever failed, procd's
// init goes on (it ignores the status).
using Preinit.Boot.Logging;
using Preinit.Core.Hooks;
using Serilog;

namespace Preinit.Boot.Stages;

public sealed class StageTwo(HookPlan hooks, StepRunner runner, InitHandover handover, BootRecord record, ILogger log)
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
            RescueShell("preinit_main finished without starting init");
        }
        catch (Exception e)
        {
            log.Debug("{Exception}", e.ToString());
            if (handover.ToProcd)
            {
                log.Error("stage 2 failed: {Error}; exiting, procd's init goes on with {Procd}", e.Message, ProcdInit.Procd);
                record.Save($"procd's init ({ProcdInit.Procd}) after stage 2 failed: {e.Message}", Note);
                return 1;
            }
            RescueShell($"stage 2 failed: {e.Message}");
        }
        return 1; // not reached
    }

    /// <summary>The stick's record of this boot says how it failed (replacing the one saved before init, if any).</summary>
    private void RescueShell(string why)
    {
        record.Save($"a rescue shell: {why}", Note);
        LastResort.Forever(log, why);
    }

    private void Note(string message) => log.Information("{Note}", message);
}
