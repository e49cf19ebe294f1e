// 40_console: init_console puts /dev/console on stdin, stdout and stderr for preinit and init.
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class ConsoleModule : IPreinitModule
{
    public string Name => "40_console";

    public void Register(HookRegistrar hooks) =>
        hooks.Add(HookNames.PreinitEssential, "init_console", new ConsoleStep());
}
