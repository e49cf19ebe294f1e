// What the hook functions of one boot share, as OpenWrt's preinit functions share shell variables:
// FAILSAFE, and the interface preinit_ip brought up (for preinit_net_echo and the deconfig before
// init). Messages go to the console (the boot log) and, when the settings say so, to the network.
using Preinit.Core.Configuration;
using Preinit.Core.Network;

namespace Preinit.Boot.Network;

public sealed class PreinitSession(PreinitSettings settings)
{
    /// <summary>OpenWrt's FAILSAFE=true: set by failsafe_wait, read by run_failsafe_hook and the shell hook files.</summary>
    public bool Failsafe { get; set; }

    /// <summary>The interface that is up for messages now (preinit's, then failsafe's), or null.</summary>
    public PreinitNetwork? Network { get; private set; }

    /// <summary>preinit_ip / failsafe_ip: the interface the settings name, up with its address. Nothing happens
    /// without an interface name; bad settings are notes, never exceptions.</summary>
    public void BringUp(bool failsafe, Action<string> note)
    {
        var (names, s, setting) = failsafe
            ? (NetworkSettingNames.Failsafe, settings.FailsafeNetwork, SettingCatalog.FailsafeIfname)
            : (NetworkSettingNames.Preinit, settings.PreinitNetwork, SettingCatalog.PreinitIfname);
        if (s.Ifname.Length == 0)
        {
            note($"no network interface for {(failsafe ? "failsafe" : "preinit")} messages ({setting} is empty)");
            return;
        }
        var problems = new List<string>();
        if (InterfaceAddress.TryCreate(names, s.Ifname, s.Ip, s.Netmask, s.Broadcast, problems) is not { } address)
        {
            foreach (var p in problems) note($"{p}; no {(failsafe ? "failsafe" : "preinit")} network");
            return;
        }
        if (Network?.Config == address) return; // failsafe on the preinit interface and address: keep it, no link flap
        TakeDown();
        var network = new PreinitNetwork(address, note, setting);
        if (network.Up()) Network = network;
    }

    /// <summary>preinit_ip_deconfig: the interface is left as it was found.</summary>
    public void TakeDown()
    {
        Network?.Down();
        Network = null;
    }

    /// <summary>preinit_net_echo: to the network when pi_preinit_net_messages is set, or for a failsafe message unless
    /// pi_preinit_no_failsafe_netmsg is. Returns whether it was sent.</summary>
    public bool NetEcho(string text, bool failsafeMessage = false) =>
        NetMessage.Enabled(settings.NetMessages, failsafeMessage, settings.NoFailsafeNetMessage) && Network?.Send(text) == true;
}
