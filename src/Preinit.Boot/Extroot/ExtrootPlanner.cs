// The extroot plan of this boot, decided once (ExtrootPlan) when first asked: by failsafe_wait, which
// starts looking for the stick early, else by determine_external_root; `preinit plan` asks for it too.
using Preinit.Core.Configuration;
using Preinit.Core.Extroot;

namespace Preinit.Boot.Extroot;

/// <param name="note">Where the fstab's warnings go (boot: its log), the one time it is read.</param>
public sealed class ExtrootPlanner(PreinitSettings settings, BootFstab fstab, Action<string> note)
{
    private ExtrootPlan? _plan;

    public ExtrootPlan Plan =>
        _plan ??= ExtrootPlan.Decide(settings.Extroot, settings.Fsck, settings.WaitTimeout, fstab.Read(w => note($"warning: {w}")),
            fstab.Path);
}
