// The wait for the stick, started early: failsafe_wait starts it before its prompt, so that the
// stick is usually found while the prompt waits (4 s by default), and determine_external_root takes
// its result instead of starting to wait only then. Until then it does not give up early (a stick
// plugged in while the prompt waits is found); from then on it ends once nothing left could be the
// stick. In failsafe mode nobody takes the result: the search only reads devices, until preinit.wait.
using Preinit.Boot.Devices;
using Preinit.Core.Configuration;
using Preinit.Core.Fstab;

namespace Preinit.Boot.Extroot;

public sealed class StickSearch(BootDrivers drivers)
{
    private Task<WaitResult>? _early;
    private volatile bool _taken;

    /// <summary>What the early start found the settings to want (read once: its warnings are said once).</summary>
    public WantedStick? Wanted { get; private set; }

    /// <summary>Starts looking for the stick the settings name, on another thread.</summary>
    public void Start(PreinitSettings settings, Action<string> note)
    {
        if (Wanted is not null) return;
        Wanted = DetermineExternalRootStep.Wanted(settings, FstabFile.DefaultPath, note);
        if (Wanted.Spec is not { } spec) return;
        // The drivers' index is made here, on this thread, so the two threads never build it at once.
        var coldplug = drivers.Coldplug;
        var timeout = Wanted.Timeout;
        note($"looking for {spec} while the boot goes on");
        _early = Task.Run(() => new DeviceWaiter(coldplug, note, makeNodes: true, endWhenSettled: () => _taken).Wait(spec, timeout));
    }

    /// <summary>What the early search found, once it ends; without one, a search now.</summary>
    public WaitResult Wait(WantedStick wanted, Action<string> note)
    {
        if (_early is not { } early || !ReferenceEquals(wanted, Wanted))
            return new DeviceWaiter(drivers.Coldplug, note, makeNodes: true, endWhenSettled: () => true).Wait(wanted.Spec!, wanted.Timeout);
        _taken = true;
        return early.GetAwaiter().GetResult();
    }
}
