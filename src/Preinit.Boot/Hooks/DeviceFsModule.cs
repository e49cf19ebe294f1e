// 20_device_fs_mount and 30_device_daemons: /dev (devtmpfs, or mknod without it), /dev/shm and
// devpts on /dev/pts.
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Hooks;

public sealed class DeviceFsModule : IPreinitModule
{
    public string Name => "20_device_fs_mount";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.PreinitEssential, "init_device_fs", new DeviceFilesystemStep());
        hooks.Add(HookNames.PreinitEssential, "init_shm", new MakeDirectoryStep("/dev/shm", (UnixFileMode)0b1_111_111_111));
        hooks.Add(HookNames.PreinitEssential, "init_pts", new MakeDirectoryStep("/dev/pts"));
        hooks.Add(HookNames.PreinitEssential, "do_mount_pts",
            new MountStep("devpts", "/dev/pts", "devpts", Libc.MS_NOSUID | Libc.MS_NOEXEC, "mode=620,ptmxmode=666"));
    }
}
