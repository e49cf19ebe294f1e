// Runs boot steps and hook functions with one log line each (uptime, the step, milliseconds).
// OpenWrt hook semantics: functions run in order, each at most once per boot, and a function can
// end its hook early. A failed optional step warns; a failed required step stops the stage.
using System.Diagnostics;
using Preinit.Boot.Logging;
using Preinit.Core.Hooks;
using Serilog;

namespace Preinit.Boot.Stages;

public sealed class StepRunner(ILogger log, HookPlan hooks) : IStepContext
{
    private readonly HashSet<string> _ran = [];

    public IReadOnlyCollection<string> FunctionsRun => _ran;

    public void Run(IEnumerable<IBootStep> steps)
    {
        foreach (var step in steps) RunStep(step);
    }

    public void RunHook(string hook)
    {
        log.Debug("hook {Hook}", hook);
        foreach (var function in hooks.Functions(hook))
        {
            if (!_ran.Add(function.Name)) continue;
            log.Debug("{Hook}: {Function} ({Module})", hook, function.Name, function.Module);
            if (RunFunction(function) == StepOutcome.EndHook)
            {
                log.Information("{Function} ended hook {Hook}", function.Name, hook);
                return;
            }
        }
    }

    /// <summary>A failing function is logged and the hook goes on, as a failing shell function would.</summary>
    private StepOutcome RunFunction(HookFunction function)
    {
        try
        {
            foreach (var step in function.Steps)
                if (RunStep(step, function.Name) == StepOutcome.EndHook) return StepOutcome.EndHook;
        }
        catch (Exception e)
        {
            log.Error("{Function} failed: {Error}; continuing with the next function", function.Name, e.Message);
            log.Debug("{Exception}", e.ToString());
        }
        return StepOutcome.Continue;
    }

    public void Note(string message) => log.Information("  {Note}", message);

    private StepOutcome RunStep(IBootStep step, string? function = null)
    {
        var clock = Stopwatch.StartNew();
        var prefix = function is null ? "" : function + ": ";
        log.Information("[{Uptime}] {Prefix}{Step}", BootClock.Format(BootClock.Uptime).Trim(), prefix, step.ToString());
        try
        {
            var outcome = step.Run(this);
            log.Information("  done in {Ms} ms", clock.ElapsedMilliseconds);
            return outcome;
        }
        catch (Exception e) when (step.Optional)
        {
            log.Warning("{Prefix}{Step} failed after {Ms} ms: {Error}; continuing", prefix, step.ToString(), clock.ElapsedMilliseconds, e.Message);
            return StepOutcome.Continue;
        }
    }
}
