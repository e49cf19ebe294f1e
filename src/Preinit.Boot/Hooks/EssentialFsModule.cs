// 10_essential_fs: the kernel filesystems and /tmp, where the boot log is saved from then on.
using Preinit.Boot.Logging;
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Hooks;

public sealed class EssentialFsModule(BootLog bootLog) : IPreinitModule
{
    public const string LogPath = "/tmp/preinit.log";

    public string Name => "10_essential_fs";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.PreinitEssential, "do_mount_procfs", KernelFilesystemSteps.Proc);
        hooks.Add(HookNames.PreinitEssential, "do_mount_sysfs", KernelFilesystemSteps.Sys);
        hooks.Add(HookNames.PreinitEssential, "do_mount_tmpfs",
            new MountStep("tmpfs", "/tmp", "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, "mode=1777"),
            new AttachLogFileStep(LogPath, bootLog.File));
    }
}
