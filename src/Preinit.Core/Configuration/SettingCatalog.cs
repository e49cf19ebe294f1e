// Every setting preinit knows, with its built-in default. Keys are the names used in
// 00_preinit.conf; on the kernel command line each is preinit.NAME (and init= is pi_init_cmd).
namespace Preinit.Core.Configuration;

public sealed record SettingDefinition(string Key, string Default, string Description);

public static class SettingCatalog
{
    public const string Debug = "debug", Shell = "shell", Loop = "loop", Headroom = "headroom", Image = "image", Wait = "wait",
        Extroot = "extroot", ExtrootForce = "extroot.force", Fsck = "fsck", RamOverlay = "ramoverlay",
        InitCmd = "pi_init_cmd", InitPath = "pi_init_path", InitEnv = "pi_init_env",
        Failsafe = "failsafe", FailsafeWaitTimeout = "fs_failsafe_wait_timeout", NoFailsafe = "pi_preinit_no_failsafe",
        SuppressStderr = "pi_suppress_stderr", InitSuppressStderr = "pi_init_suppress_stderr",
        NetMessages = "pi_preinit_net_messages", NoFailsafeNetMessage = "pi_preinit_no_failsafe_netmsg",
        PreinitIfname = "pi_ifname", PreinitIp = "pi_ip", PreinitNetmask = "pi_netmask", PreinitBroadcast = "pi_broadcast",
        FailsafeIfname = "fs_failsafe_ifname", FailsafeIp = "fs_failsafe_ip", FailsafeNetmask = "fs_failsafe_netmask",
        FailsafeBroadcast = "fs_failsafe_broadcast";

    public const string CommandLinePrefix = "preinit.";

    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new(Debug, "0", "verbose log (debug level)"),
        new(Shell, "0", "shell on the console before init is started; boot continues when it exits"),
        new(Loop, "1", "build the ext2 root on a loop device; 0 stays on the initramfs"),
        new(Headroom, "auto", "free space left in the root image: SIZE (K/M/G) or N%; auto = larger of 512K and 10%"),
        new(Image, "write", "how stage 1 makes the root image: write (ext2 written directly) or copy (mke2fs, mount, copy)"),
        new(Wait, "15", "seconds to wait for a device (the USB stick) to appear before giving up"),
        new(Extroot, "fstab", "the stick for the overlay root: fstab (the extroot entry of /etc/config/fstab), " +
            "LABEL=..., UUID=..., /dev/NAME, or off"),
        new(ExtrootForce, "0", "use an overlay stick recorded for another system, and pair it with this one"),
        new(Fsck, "auto", "check the stick before mounting: auto (as fstab says), force, or off"),
        new(RamOverlay, "50%", "without a stick, / is an overlay whose changes go to a tmpfs of this size: SIZE (K/M/G), N% of RAM, " +
            "or off (changes go to the RAM root image, within its headroom)"),
        new(InitCmd, "/sbin/init", "the command preinit execs at the end (init= on the kernel command line)"),
        new(InitPath, "/usr/sbin:/usr/bin:/sbin:/bin", "PATH given to init"),
        new(InitEnv, "", "extra environment for init: space-separated NAME=value"),
        // OpenWrt's preinit settings, with today's OpenWrt defaults (package/base-files image-config.in).
        new(Failsafe, "0", "enter failsafe mode without waiting for a key (also: failsafe= on the kernel command line)"),
        new(FailsafeWaitTimeout, "4", "seconds to wait for [f]+Enter (failsafe) on the consoles; " +
            "OpenWrt today waits 4 (the 2010 text says 2)"),
        new(NoFailsafe, "n", "y: never offer failsafe mode"),
        new(SuppressStderr, "y", "y: preinit's standard error goes to /dev/null (its log is on stdout, kmsg and /tmp/preinit.log)"),
        new(InitSuppressStderr, "y", "y: init starts with standard error on /dev/null (programs on a terminal still have it)"),
        new(NetMessages, "n", "y: send preinit messages as UDP broadcasts to port 4919 on pi_ifname"),
        new(NoFailsafeNetMessage, "n", "y: not even the failsafe messages go to the network"),
        new(PreinitIfname, "", "network interface for preinit messages (empty: none)"),
        new(PreinitIp, "192.168.1.1", "preinit address on pi_ifname"),
        new(PreinitNetmask, "255.255.255.0", "preinit netmask"),
        new(PreinitBroadcast, "192.168.1.255", "preinit broadcast address (messages go there)"),
        new(FailsafeIfname, "", "network interface for failsafe mode: address, messages and the telnet login (empty: pi_ifname)"),
        new(FailsafeIp, "192.168.1.1", "failsafe address"),
        new(FailsafeNetmask, "255.255.255.0", "failsafe netmask"),
        new(FailsafeBroadcast, "192.168.1.255", "failsafe broadcast address"),
    ];

    public static SettingDefinition? Find(string key) =>
        All.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));
}
