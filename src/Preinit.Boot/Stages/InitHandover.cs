// How stage 2 ends, decided once for the process: as PID 1 (the 2010 design, and preinit's own
// /init) it execs init; as procd's init's child (today's OpenWrt, see ProcdInit) it exits, and
// procd's init goes on. The hook functions that end the boot (run_init, failsafe_shell) ask this.
namespace Preinit.Boot.Stages;

public sealed class InitHandover(bool toProcd)
{
    /// <summary>Stage 2 is procd's init's child: it exits when done, and failsafe waits for /tmp/sysupgrade.</summary>
    public bool ToProcd { get; } = toProcd;
}
