// do_mount_root under procd's init, as OpenWrt's 80_mount_root starts it: the rootfs's own
// `mount_root start` (fstools), which on a disk install remounts the root read-write or mounts the
// overlay of its rootfs_data volume. Not when preinit's extroot already made the stick the root:
// fstools itself skips its overlay once extroot succeeded. Its status is logged, not acted on, as
// OpenWrt's script does; on preinit's RAM root it finds nothing to do and says so.
using Preinit.Boot.Extroot;
using Preinit.Boot.Platform;
using Preinit.Boot.Stages;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Steps;

public sealed class FstoolsMountRootStep(ExtrootState extroot) : IBootStep
{
    public const string MountRoot = "/sbin/mount_root";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (!File.Exists(MountRoot)) return StepOutcome.Continue;
        if (extroot.Pivoted)
        {
            context.Note($"{MountRoot} not run: the root is on the extroot stick already");
            return StepOutcome.Continue;
        }
        // mount_root refuses to start unless PREINIT is set, which procd's init gave this process.
        var status = ChildProcess.RunInherited(MountRoot, ["start"], Limit);
        context.Note($"{MountRoot} start exited with status {status}");
        return StepOutcome.Continue;
    }

    public override string ToString() =>
        $"{MountRoot} start (when the rootfs has it and the extroot did not make the stick the root; needs {ProcdInit.Variable}=1)";
}
