// Stage 2 (/etc/preinit): the OpenWrt hook sequence, preinit_essential then preinit_main, whose
// last function execs init. If control comes back here, init could not be started.
using Preinit.Core.Hooks;
using Serilog;

namespace Preinit.Boot.Stages;

public sealed class StageTwo(HookPlan hooks, StepRunner runner, ILogger log)
{
    public static readonly IReadOnlyList<string> TopLevelHooks = [HookNames.PreinitEssential, HookNames.PreinitMain];

    /// <summary>Never returns.</summary>
    public void Run()
    {
        foreach (var problem in hooks.Problems) log.Warning("{Problem}", problem);
        try
        {
            foreach (var hook in TopLevelHooks) runner.RunHook(hook);
            LastResort.Forever(log, "preinit_main finished without starting init");
        }
        catch (Exception e)
        {
            log.Debug("{Exception}", e.ToString());
            LastResort.Forever(log, $"stage 2 failed: {e.Message}");
        }
    }
}
