// 70_initramfs_test: on the initramfs (preinit.loop=0, or stage 1 fell back) the initramfs hook
// runs and init starts at once: there is no extroot, since pivot_root cannot leave the initramfs.
using Preinit.Boot.Network;
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class InitramfsTestModule(PreinitSession session, RunInitModule runInit) : IPreinitModule
{
    public string Name => "70_initramfs_test";

    public void Register(HookRegistrar hooks) =>
        hooks.Add(HookNames.PreinitMain, "initramfs_test", new InitramfsTestStep(session, runInit.InitStep));
}
