// The failsafe functions: failsafe_wait offers it, run_failsafe_hook enters it, and the failsafe hook's
// own functions give a way in: telnet on the failsafe interface and a shell on every console.
using Preinit.Boot.Logging;
using Preinit.Boot.Network;
using Preinit.Boot.Platform;
using Preinit.Boot.Stages;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;
using Preinit.Interop;
using Serilog.Events;

namespace Preinit.Boot.Failsafe;

/// <summary>failsafe_wait: failsafe= on the command line enters at once; otherwise the prompt on every console
/// for fs_failsafe_wait_timeout seconds, and [1]-[4] set the debug level meanwhile.</summary>
public sealed record FailsafeWaitStep(PreinitSettings Settings, PreinitSession Session, BootLog Log) : IBootStep
{
    public const string DebugLevelFile = "/tmp/debug_level";

    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (Settings.Failsafe)
        {
            Session.Failsafe = true;
            context.Note("failsafe mode requested on the kernel command line (failsafe= or preinit.failsafe=1)");
            return StepOutcome.Continue;
        }
        if (Settings.NoFailsafe)
        {
            context.Note("failsafe mode is not offered (pi_preinit_no_failsafe=y)");
            return StepOutcome.Continue;
        }
        Session.NetEcho("Please press button now to enter failsafe\n", failsafeMessage: true);
        var consoles = ActiveConsoles.Devices();
        context.Note($"waiting {Settings.FailsafeWaitTimeout.TotalSeconds:0.#} s for [f] and Enter on {string.Join(", ", consoles)}");
        var result = ConsoleKeyWait.Wait(consoles, Settings.FailsafeWaitTimeout, context.Note, level => SetDebugLevel(level, context));
        if (result.Failsafe)
        {
            Session.Failsafe = true;
            context.Note($"failsafe mode chosen on {result.Console}");
        }
        return StepOutcome.Continue;
    }

    /// <summary>1 is the normal log, 2 adds each hook and function, 3 and 4 everything. The level is also left in
    /// /tmp/debug_level, where OpenWrt's init (procd) looks for it.</summary>
    private void SetDebugLevel(int level, IStepContext context)
    {
        Log.Level.MinimumLevel = level switch { 1 => LogEventLevel.Information, 2 => LogEventLevel.Debug, _ => LogEventLevel.Verbose };
        try { File.WriteAllText(DebugLevelFile, $"{level}\n"); }
        catch (IOException e) { context.Note($"warning: {DebugLevelFile}: {e.Message}"); }
        context.Note($"debug level {level} for the rest of the boot");
    }

    public override string ToString() =>
        Settings.Failsafe ? "enter failsafe mode (requested on the kernel command line)"
        : Settings.NoFailsafe ? "no failsafe prompt (pi_preinit_no_failsafe=y)"
        : $"prompt on every console and wait {Settings.FailsafeWaitTimeout.TotalSeconds:0.#} s for [f]+Enter " +
            "(failsafe) or [1]-[4] (debug level)";
}

/// <summary>run_failsafe_hook: in failsafe mode the failsafe hook runs, and preinit_main never goes further.</summary>
public sealed record RunFailsafeHookStep(PreinitSession Session) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        if (!Session.Failsafe) return StepOutcome.Continue;
        context.RunHook(HookNames.Failsafe);
        context.Note("the failsafe hook returned; failsafe mode does not continue to init");
        return StepOutcome.EndHook;
    }

    public override string ToString() => "in failsafe mode: run the failsafe hook instead of the rest of preinit_main";
}

/// <summary>failsafe_netlogin: busybox telnetd bound to the failsafe address only, a shell without password.</summary>
public sealed record FailsafeTelnetStep(PreinitSession Session) : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (Session.Network is not { } network)
        {
            context.Note("no failsafe network, so no telnet login (set fs_failsafe_ifname, or pi_ifname)");
            return StepOutcome.Continue;
        }
        var telnetd = ChildProcess.Find("telnetd");
        var busybox = ChildProcess.Find("busybox");
        var program = telnetd ?? busybox;
        string[] prefix = telnetd is null ? ["telnetd"] : [];
        if (program is null)
        {
            context.Note("no telnetd (busybox telnetd) found: no telnet login in failsafe mode");
            return StepOutcome.Continue;
        }
        var address = network.Config.Address.ToString();
        Libc.SpawnDetached(program, [program, .. prefix, "-b", address, "-l", "/bin/sh"], ChildProcess.CurrentEnvironment());
        // telnetd -b binds an address, not an interface: any interface that routes to it reaches it.
        context.Note($"failsafe: telnet {address} (the address of {network.Config.Interface}) for a root shell (no password); " +
            "telnetd listens on that address only");
        return StepOutcome.Continue;
    }

    public override string ToString() => "start telnetd on the failsafe address only (failsafe_netlogin)";
}

/// <summary>failsafe_shell: as PID 1 never returns; as procd's init's child returns once /tmp/sysupgrade appears.</summary>
public sealed record FailsafeShellStep(PreinitSettings Settings, InitHandover Handover) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        string[] environment = [$"PATH={Settings.InitPath}", "HOME=/", "TERM=linux", "FAILSAFE=true"];
        if (Handover.ToProcd) FailsafeShells.UntilSysupgrade(ActiveConsoles.Devices(), environment, context.Note);
        else FailsafeShells.Forever(ActiveConsoles.Devices(), environment, context.Note);
        return StepOutcome.Continue;
    }

    public override string ToString() => "a login shell on every console, again whenever it exits (failsafe_shell)" +
        (Handover.ToProcd ? $", until {ProcdInit.SysupgradeFile} appears; then preinit exits and procd's init runs the upgrade" : "");
}

/// <summary>indicate_failsafe's lock file: scripts and shells can tell failsafe mode by /tmp/.failsafe.</summary>
public sealed record FailsafeMarkerStep(string Path = "/tmp/.failsafe") : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        File.WriteAllText(Path, "");
        return StepOutcome.Continue;
    }

    public override string ToString() => $"create {Path}";
}
