// 80_mount_root: the root is mounted (under procd's init the rootfs's own mount_root first; then the
// preinit_mount_root hook: ramoverlay when no stick became the root, then packages' functions) and a
// saved configuration is restored.
using Preinit.Boot.Extroot;
using Preinit.Boot.Restore;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class MountRootModule(PreinitSettings settings, ExtrootState extroot, InitHandover handover) : IPreinitModule
{
    public string Name => "80_mount_root";

    public void Register(HookRegistrar hooks)
    {
        IBootStep[] mountRoot = handover.ToProcd
            ? [new FstoolsMountRootStep(extroot), new RunHookStep(HookNames.PreinitMountRoot)]
            : [new RunHookStep(HookNames.PreinitMountRoot)];
        hooks.Add(HookNames.PreinitMain, "do_mount_root", mountRoot);
        hooks.Add(HookNames.PreinitMountRoot, "ramoverlay", new RamOverlayStep(settings, extroot));
        hooks.Add(HookNames.PreinitMain, "restore_config", new RestoreConfigStep(extroot));
    }
}
