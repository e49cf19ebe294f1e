// Runs boot steps and hook functions with one log line each (uptime, the step, milliseconds).
// OpenWrt hook semantics: functions run in order, each at most once per boot, and a function can
// end its hook early. A failed optional step warns; a failed required step stops the stage.
using System.Diagnostics;
using Preinit.Core.Hooks;
using Serilog;

namespace Preinit.Boot.Stages;

/// <param name="hooks">The hook table, asked for when a hook first runs: stage 1 runs steps only, so it never
/// builds the table (which sources other packages' shell hook files).</param>
public sealed class StepRunner(ILogger log, Func<HookPlan> hooks) : IStepContext
{
    private readonly HashSet<string> _ran = [];

    public StepRunner(ILogger log, HookPlan hooks) : this(log, () => hooks) { }

    public IReadOnlyCollection<string> FunctionsRun => _ran;

    /// <summary>Treats a function as run already, so its hook passes it by (`preinit run-hook --skip`).</summary>
    public void Skip(string function) => _ran.Add(function);

    public void Run(IEnumerable<IBootStep> steps)
    {
        foreach (var step in steps) RunStep(step);
    }

    public void RunHook(string hook)
    {
        log.Debug("hook {Hook}", hook);
        foreach (var function in hooks().Functions(hook))
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

    public void Note(string message) => log.Information("{Note}", message);

    /// <summary>One line per step, after it ran, with its duration; a step that execs is logged before.</summary>
    private StepOutcome RunStep(IBootStep step, string? function = null)
    {
        var clock = Stopwatch.StartNew();
        var line = function is null ? step.ToString() : $"{function}: {step}";
        if (step.Execs) log.Information("{Step}", line);
        try
        {
            var outcome = step.Run(this);
            log.Information("{Step} ({Ms} ms)", line, clock.ElapsedMilliseconds);
            return outcome;
        }
        catch (Exception e) when (step.Optional)
        {
            log.Warning("{Step} failed after {Ms} ms: {Error}; continuing", line, clock.ElapsedMilliseconds, e.Message);
            return StepOutcome.Continue;
        }
    }
}
