// 99_10_run_init: the end of preinit_main: the preinit address goes away, this boot's log is saved
// on the stick in use, and init is exec'd, or,
// as procd's init's child, stage 2 exits and procd's init goes on. With preinit.shell, a shell on
// the console first.
using Preinit.Boot.Logging;
using Preinit.Boot.Network;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Hooks;

public sealed class RunInitModule(PreinitSettings settings, BootLog bootLog, PreinitSession session, InitHandover handover,
    BootRecord record) : IPreinitModule
{
    public string Name => "99_10_run_init";

    /// <summary>The exec of init, or the return to procd's init; also used by initramfs_test.</summary>
    public IBootStep InitStep { get; } = handover.ToProcd
        ? new ReturnToProcdStep(bootLog.File)
        : new ExecInitStep(settings.InitCmd, settings.InitPath, settings.InitEnv, bootLog.File,
            settings.SuppressStderr || settings.InitSuppressStderr);

    /// <summary>Where the boot goes after run_init, as the record on the stick says it.</summary>
    private string Ending => handover.ToProcd ? $"procd's init ({ProcdInit.Procd})" : $"init ({settings.InitCmd})";

    public void Register(HookRegistrar hooks)
    {
        if (settings.Shell)
            hooks.Add(HookNames.PreinitMain, "preinit_shell", new ShellStep(SuppressStderr: settings.SuppressStderr));
        hooks.Add(HookNames.PreinitMain, "run_init", new IndicateStep(session, "- init -", "Starting init"),
            new InterfaceDownStep(session), new SaveBootLogStep(record, Ending), InitStep);
    }
}
