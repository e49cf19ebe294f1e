// 40_console: choose_console lists the consoles; init_console puts /dev/console on stdin, stdout and
// stderr for preinit and init (stderr on /dev/null with pi_suppress_stderr).
using Preinit.Boot.Platform;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class ConsoleModule(PreinitSettings settings, InitHandover handover) : IPreinitModule
{
    public string Name => "40_console";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.PreinitEssential, "choose_console", new ChooseConsoleStep());
        hooks.Add(HookNames.PreinitEssential, "init_console", new ConsoleStep(ConsoleIo.Console, settings.SuppressStderr,
            TakeTerminal: !handover.ToProcd));
    }
}
