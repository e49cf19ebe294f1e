// 75_mount_extroot (the 2011 patch): do_mount_extroot in preinit_main runs the preinit_mount_extroot
// hook before do_mount_root, which a PC without flash never gets past; then the swap fstab names.
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class ExtrootModule(PreinitSettings settings, ExtrootPlanner planner, BootFstab fstab, ExtrootState state,
    BootDrivers drivers,
    StickSearch search) : IPreinitModule
{
    public string Name => "75_mount_extroot";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.PreinitMain, "do_mount_extroot", new RunHookStep(HookNames.PreinitMountExtroot));
        hooks.Add(HookNames.PreinitMain, "do_swapon", new SwapOnStep(fstab));
        hooks.Add(HookNames.PreinitMountExtroot, "determine_external_root", new DetermineExternalRootStep(planner, state, drivers, search));
        hooks.Add(HookNames.PreinitMountExtroot, "external_root_pivot", new ExternalRootPivotStep(settings, state));
    }
}
