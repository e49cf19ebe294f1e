// 20_device_fs_mount: /dev (devtmpfs, or mknod without it), /dev/shm and devpts on /dev/pts; and
// init_hotplug in preinit_main, which loads the drivers for the hardware present.
using Preinit.Boot.Devices;
using Preinit.Boot.Steps;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Hooks;

public sealed class DeviceFsModule(BootDrivers drivers) : IPreinitModule
{
    public string Name => "20_device_fs_mount";

    public void Register(HookRegistrar hooks)
    {
        hooks.Add(HookNames.PreinitEssential, "choose_device_fs", new ChooseDeviceFsStep());
        hooks.Add(HookNames.PreinitEssential, "init_device_fs", new DeviceFilesystemStep());
        hooks.Add(HookNames.PreinitEssential, "init_shm", new MakeDirectoryStep("/dev/shm", (UnixFileMode)0b1_111_111_111));
        hooks.Add(HookNames.PreinitEssential, "init_pts", new MakeDirectoryStep("/dev/pts"));
        hooks.Add(HookNames.PreinitEssential, "do_mount_pts",
            new MountStep("devpts", "/dev/pts", "devpts", Libc.MS_NOSUID | Libc.MS_NOEXEC, "mode=620,ptmxmode=666"));
        hooks.Add(HookNames.PreinitMain, "init_hotplug", new HotplugStep(drivers));
    }
}
