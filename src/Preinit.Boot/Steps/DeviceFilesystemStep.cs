// /dev for the boot: devtmpfs when the kernel has it (CONFIG_DEVTMPFS); otherwise a tmpfs with a
// node made with mknod for every device in /sys/dev (and for each one that appears later, as its
// uevent arrives while boot waits for a device), and the nodes the boot needs, as the source's
// /init made /dev/loop0 and /dev/root.
using Preinit.Boot.Devices;
using Preinit.Boot.Platform;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record DeviceFilesystemStep(string Target = "/dev") : IBootStep
{
    /// <summary>The kernel's own /dev: every device node, made and removed by the kernel.</summary>
    public static readonly MountStep Devtmpfs = new("devtmpfs", "/dev", "devtmpfs", Libc.MS_NOSUID, "mode=0755");

    /// <summary>Name, type, major, minor: what preinit and a shell need before any device manager runs.</summary>
    public static readonly IReadOnlyList<(string Name, uint Type, uint Major, uint Minor)> StaticNodes =
    [
        ("console", Libc.S_IFCHR, 5, 1), ("null", Libc.S_IFCHR, 1, 3), ("zero", Libc.S_IFCHR, 1, 5),
        ("tty", Libc.S_IFCHR, 5, 0), ("kmsg", Libc.S_IFCHR, 1, 11), ("urandom", Libc.S_IFCHR, 1, 9),
        ("loop-control", Libc.S_IFCHR, 10, 237), ("loop0", Libc.S_IFBLK, 7, 0), ("root", Libc.S_IFBLK, 7, 0),
    ];

    public StepOutcome Run(IStepContext context)
    {
        if (MountPoint.Is(Target))
        {
            context.Note($"{Target} is already a mount point");
            return StepOutcome.Continue;
        }
        try
        {
            (Devtmpfs with { Target = Target }).Mount();
        }
        catch (SystemCallException e)
        {
            // A tmpfs holds the nodes, as on OpenWrt, whose kernels have no devtmpfs: one for every device sysfs knows, then
            // the boot's own where sysfs gave none (no sysfs yet, /dev/root).
            try { Libc.Mount("tmpfs", Target, "tmpfs", Libc.MS_NOSUID, "mode=0755,size=512k"); }
            catch (SystemCallException tmpfs)
            {
                context.Note($"warning: no tmpfs for {Target} either ({tmpfs.Message}): the nodes go into the root");
            }
            var made = DeviceNodes.Populate(Target);
            context.Note($"no devtmpfs ({e.Message}): {made} device nodes made with mknod from /sys/dev");
            foreach (var (name, type, major, minor) in StaticNodes)
            {
                var path = Path.Combine(Target, name);
                if (!Libc.TryLstat(path, out _)) Libc.Mknod(path, type | 0b110_000_000, Libc.MakeDev(major, minor));
            }
        }
        return StepOutcome.Continue;
    }

    public override string ToString() => $"mount devtmpfs on {Target} (without one: a tmpfs, the nodes made with mknod from /sys/dev)";
}
