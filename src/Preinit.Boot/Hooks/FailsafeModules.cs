// Failsafe, as OpenWrt's files split it: 30_failsafe_wait offers it, 40_run_failsafe_hook enters it;
// the failsafe hook has 10_indicate_failsafe (address, message) and 99_10_failsafe_login (telnet,
// console shells, never init).
using Preinit.Boot.Extroot;
using Preinit.Boot.Failsafe;
using Preinit.Boot.Logging;
using Preinit.Boot.Network;
using Preinit.Boot.Stages;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

/// <summary>failsafe_wait; the stick's wait starts first, so that it runs while the prompt waits.</summary>
public sealed class FailsafeWaitModule(PreinitSettings settings, PreinitSession session, BootLog bootLog, ExtrootPlanner extrootPlanner,
    StickSearch stickSearch) : IPreinitModule
{
    public string Name => "30_failsafe_wait";

    public void Register(HookRegistrar hooks) =>
        hooks.Add(HookNames.PreinitMain, "failsafe_wait", new StartStickSearchStep(settings, extrootPlanner, stickSearch),
            new FailsafeWaitStep(settings, session, bootLog));
}

public sealed class RunFailsafeHookModule(PreinitSession session) : IPreinitModule
{
    public string Name => "40_run_failsafe_hook";

    public void Register(HookRegistrar hooks) =>
        hooks.Add(HookNames.PreinitMain, "run_failsafe_hook", new RunFailsafeHookStep(session));
}

public sealed class IndicateFailsafeModule(PreinitSession session) : IPreinitModule
{
    public string Name => "10_indicate_failsafe";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.Failsafe, "failsafe_ip", new InterfaceUpStep(session, Failsafe: true));
        hooks.Add(HookNames.Failsafe, "indicate_failsafe",
            new IndicateStep(session, "- failsafe -", "Entering Failsafe!", FailsafeMessage: true), new FailsafeMarkerStep());
    }
}

public sealed class FailsafeLoginModule(PreinitSettings settings, PreinitSession session, InitHandover handover) : IPreinitModule
{
    public string Name => "99_10_failsafe_login";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.Failsafe, "failsafe_netlogin", new FailsafeTelnetStep(session));
        hooks.Add(HookNames.Failsafe, "failsafe_shell", new FailsafeShellStep(settings, handover));
    }
}
