// The hook functions around the preinit network: preinit_ip and failsafe_ip bring an interface up,
// the indicate_* functions say where the boot is, on the console and as a network message.
using Preinit.Core.Hooks;

namespace Preinit.Boot.Network;

/// <summary>preinit_ip (pi_* settings) or failsafe_ip (fs_failsafe_* settings).</summary>
public sealed record InterfaceUpStep(PreinitSession Session, bool Failsafe) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        Session.BringUp(Failsafe, context.Note);
        return StepOutcome.Continue;
    }

    public override string ToString() =>
        Failsafe ? "bring fs_failsafe_ifname up with fs_failsafe_ip" : "bring pi_ifname up with pi_ip (when set) for preinit messages";
}

/// <summary>pi_indicate_preinit, indicate_regular_preinit, indicate_failsafe: a console line and a network message
/// (OpenWrt's texts; a failsafe message is sent unless pi_preinit_no_failsafe_netmsg,
/// the others only with pi_preinit_net_messages).</summary>
public sealed record IndicateStep(PreinitSession Session, string ConsoleLine, string NetMessage, bool FailsafeMessage = false) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        context.Note(ConsoleLine);
        if (Session.NetEcho(NetMessage + "\n", FailsafeMessage)) context.Note($"sent \"{NetMessage}\" to UDP port 4919");
        return StepOutcome.Continue;
    }

    public override string ToString() => $"say \"{ConsoleLine}\" (network: \"{NetMessage}\")";
}

/// <summary>preinit_ip_deconfig before init (99_10_run_init).</summary>
public sealed record InterfaceDownStep(PreinitSession Session) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        Session.TakeDown();
        return StepOutcome.Continue;
    }

    public override string ToString() => "take the preinit address down again";
}
