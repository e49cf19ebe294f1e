// Every setting preinit knows, with its built-in default. Keys are the names used in
// 00_preinit.conf; on the kernel command line each is preinit.NAME (and init= is pi_init_cmd).
namespace Preinit.Core.Configuration;

public sealed record SettingDefinition(string Key, string Default, string Description);

public static class SettingCatalog
{
    public const string Debug = "debug", Shell = "shell", Loop = "loop", Headroom = "headroom", Image = "image", Wait = "wait", Extroot = "extroot", ExtrootForce = "extroot.force", Fsck = "fsck",
        InitCmd = "pi_init_cmd", InitPath = "pi_init_path", InitEnv = "pi_init_env";

    public const string CommandLinePrefix = "preinit.";

    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new(Debug, "0", "verbose log (debug level)"),
        new(Shell, "0", "shell on the console before init is started; boot continues when it exits"),
        new(Loop, "1", "build the ext2 root on a loop device; 0 stays on the initramfs"),
        new(Headroom, "auto", "free space left in the root image: SIZE (K/M/G) or N%; auto = larger of 512K and 10%"),
        new(Image, "write", "how stage 1 makes the root image: write (ext2 written directly) or copy (mke2fs, mount, copy)"),
        new(Wait, "15", "seconds to wait for a device (the USB stick) to appear before giving up"),
        new(Extroot, "fstab", "the stick for the overlay root: fstab (the extroot entry of /etc/config/fstab), LABEL=..., UUID=..., /dev/NAME, or off"),
        new(ExtrootForce, "0", "use an overlay stick recorded for another system, and pair it with this one"),
        new(Fsck, "auto", "check the stick before mounting: auto (as fstab says), force, or off"),
        new(InitCmd, "/sbin/init", "the command preinit execs at the end (init= on the kernel command line)"),
        new(InitPath, "/usr/sbin:/usr/bin:/sbin:/bin", "PATH given to init"),
        new(InitEnv, "", "extra environment for init: space-separated NAME=value"),
    ];

    public static SettingDefinition? Find(string key) =>
        All.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));
}
