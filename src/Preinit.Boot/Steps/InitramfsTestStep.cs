// initramfs_test: when stage 2 runs on the initramfs itself (preinit.loop=0, or stage 1 fell back),
// the initramfs hook runs and init starts at once. The rest of preinit_main cannot work there:
// pivot_root cannot leave the kernel's rootfs, so there is no extroot.
using Preinit.Boot.Network;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record InitramfsTestStep(PreinitSession Session, IBootStep RunInit) : IBootStep
{
    public bool Execs => RunInit.Execs && OnInitramfs();

    public static bool OnInitramfs() => Libc.FilesystemType("/") is Libc.RAMFS_MAGIC or Libc.TMPFS_MAGIC;

    public StepOutcome Run(IStepContext context)
    {
        if (!OnInitramfs()) return StepOutcome.Continue;
        context.Note("running on the initramfs (no loop root): the initramfs hook, then init; no extroot, " +
            "because pivot_root cannot leave the initramfs, so changes will not survive a reboot");
        context.RunHook(HookNames.Initramfs);
        Session.TakeDown();
        context.Note($"run_init: {RunInit}");
        return RunInit.Run(context);
    }

    public override string ToString() => "on the initramfs: run the initramfs hook and start init (no extroot)";
}
