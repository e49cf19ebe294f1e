// The wait for the stick, started early: failsafe_wait starts it before its prompt, so that the
// stick is usually found while the prompt waits (4 s by default), and determine_external_root takes
// its result instead of starting to wait only then. Until then it does not give up early (a stick
// plugged in while the prompt waits is found); from then on it ends once nothing left could be the
// stick. In failsafe mode nobody takes the result: the search only reads devices, until preinit.wait.
using Preinit.Boot.Devices;
using Preinit.Core.Extroot;

namespace Preinit.Boot.Extroot;

public sealed class StickSearch(BootDrivers drivers)
{
    private Task<WaitResult>? _early;
    private volatile bool _taken;

    /// <summary>The plan the early search follows.</summary>
    private ExtrootPlan? _started;

    /// <summary>Starts looking for the stick the plan names, on another thread.</summary>
    public void Start(ExtrootPlan plan, Action<string> note)
    {
        if (_started is not null || plan.Spec is not { } spec) return;
        _started = plan;
        // The drivers' index is made here, on this thread, so the two threads never build it at once.
        var coldplug = drivers.Coldplug;
        note($"looking for {spec} while the boot goes on");
        _early = Task.Run(() => new DeviceWaiter(coldplug, note, makeNodes: true, endWhenSettled: () => _taken).Wait(spec, plan.Wait));
    }

    /// <summary>What the early search found, once it ends; without one, a search now.</summary>
    public WaitResult Wait(ExtrootPlan plan, Action<string> note)
    {
        if (_early is not { } early || !ReferenceEquals(plan, _started))
            return new DeviceWaiter(drivers.Coldplug, note, makeNodes: true, endWhenSettled: () => true).Wait(plan.Spec!, plan.Wait);
        _taken = true;
        return early.GetAwaiter().GetResult();
    }
}
