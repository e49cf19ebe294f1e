// What every VM test waits for and how long: the bounds of a boot and of a command in the guest,
// and the console lines and kernel arguments the tests share, each defined here once.
namespace Preinit.Tests.Support;

public static class Guest
{
    /// <summary>A boot from the kernel to init under TCG on a busy machine (a minute or two here).</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);

    /// <summary>A boot that first passes a firmware's menu (OVMF, GRUB) or starts a whole distribution (systemd).</summary>
    public static readonly TimeSpan SlowBootTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A command typed in the guest's shell, or a console line after an event (a stick plugged in).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    /// <summary>A command that itself waits for a device (`preinit wait`, `preinit persist` onto a slow stick).</summary>
    public static readonly TimeSpan SlowCommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The Live CD's rcS prints this once busybox init runs: the boot reached the rootfs's init.</summary>
    public const string InitStarted = "livecd: /sbin/init started";

    /// <summary>The kernel argument that skips the failsafe prompt's wait, for boots that do not test it.</summary>
    public const string NoFailsafeWait = "preinit.fs_failsafe_wait_timeout=0";
}
