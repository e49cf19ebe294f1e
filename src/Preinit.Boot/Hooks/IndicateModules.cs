// 20_indicate_preinit and 50_indicate_regular_preinit (OpenWrt's 10_indicate_preinit and
// 50_indicate_regular_preinit): the preinit network comes up and says where the boot is.
using Preinit.Boot.Network;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class IndicatePreinitModule(PreinitSession session) : IPreinitModule
{
    public string Name => "20_indicate_preinit";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.PreinitMain, "preinit_ip", new InterfaceUpStep(session, Failsafe: false));
        hooks.Add(HookNames.PreinitMain, "pi_indicate_preinit", new IndicateStep(session, "- preinit -", "Doing OpenWrt Preinit"));
    }
}

public sealed class IndicateRegularPreinitModule(PreinitSession session) : IPreinitModule
{
    public string Name => "50_indicate_regular_preinit";

    public void Register(HookRegistrar hooks) =>
        hooks.Add(HookNames.PreinitMain, "indicate_regular_preinit",
            new IndicateStep(session, "- regular preinit -", "Continuing with Regular Preinit"));
}
