// The OpenWrt preinit hooks, by their shell names (/etc/preinit, /lib/preinit/*).
namespace Preinit.Core.Hooks;

public static class HookNames
{
    public const string PreinitEssential = "preinit_essential", PreinitMain = "preinit_main",
        Failsafe = "failsafe", Initramfs = "initramfs", PreinitMountRoot = "preinit_mount_root",
        PreinitMountExtroot = "preinit_mount_extroot";

    public static readonly IReadOnlyList<string> All =
        [PreinitEssential, PreinitMain, Failsafe, Initramfs, PreinitMountRoot, PreinitMountExtroot];
}
