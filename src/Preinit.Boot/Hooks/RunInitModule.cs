// 99_10_run_init: the end of preinit_main. With preinit.shell, a shell on the console first.
using Preinit.Boot.Logging;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class RunInitModule(PreinitSettings settings, BootLog bootLog) : IPreinitModule
{
    public string Name => "99_10_run_init";

    public void Register(HookRegistrar hooks)
    {
        if (settings.Shell)
            hooks.Add(HookNames.PreinitMain, "preinit_shell", new ShellStep());
        hooks.Add(HookNames.PreinitMain, "run_init",
            new ExecInitStep(settings.InitCmd, settings.InitPath, settings.InitEnv, bootLog.File));
    }
}
