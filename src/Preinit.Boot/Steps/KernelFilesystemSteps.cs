// /proc, /sys and /dev as boot steps, each defined once: stage 1 mounts them first, stage 2's
// preinit_essential mounts /proc and /sys (finding them mounted after stage 1), and the entry point
// mounts /dev and /proc before the runtime needs them.
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public static class KernelFilesystemSteps
{
    /// <summary>proc(5) and sysfs(5) hold no setuid programs, device nodes or programs to run.</summary>
    private const ulong Safe = Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC;

    public static readonly MountStep Proc = new("proc", "/proc", "proc", Safe);

    public static readonly MountStep Sys = new("sysfs", "/sys", "sysfs", Safe);

    /// <summary>/dev: devtmpfs, or a tmpfs with the nodes made with mknod (<see cref="DeviceFilesystemStep"/>).</summary>
    public static readonly DeviceFilesystemStep Dev = new();

    /// <summary>In the order stage 1 mounts them: /proc first, the command line is there.</summary>
    public static readonly IReadOnlyList<IBootStep> All = [Proc, Sys, Dev];
}
