// Mounts a filesystem, creating the mount point; a target that is already a mount point is left as
// it is (stage 1 may have mounted it, or the kernel did).
using Preinit.Boot.Platform;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record MountStep(string Source, string Target, string FsType, ulong Flags = 0, string? Data = null,
    bool Optional = false) : IBootStep
{
    public StepOutcome Run(IStepContext context)
    {
        if (MountPoint.Is(Target))
        {
            context.Note($"{Target} is already a mount point");
            return StepOutcome.Continue;
        }
        Mount();
        return StepOutcome.Continue;
    }

    /// <summary>The mount itself, without the check: creates the mount point and mounts.</summary>
    public void Mount()
    {
        Directory.CreateDirectory(Target);
        Libc.Mount(Source, Target, FsType, Flags, Data);
    }

    public override string ToString() =>
        $"mount {FsType} on {Target}{(Describe(Flags, Data) is { Length: > 0 } o ? $" ({o})" : "")}";

    public static string Describe(ulong flags, string? data)
    {
        var names = new List<string>();
        if ((flags & Libc.MS_RDONLY) != 0) names.Add("ro");
        if ((flags & Libc.MS_NOSUID) != 0) names.Add("nosuid");
        if ((flags & Libc.MS_NODEV) != 0) names.Add("nodev");
        if ((flags & Libc.MS_NOEXEC) != 0) names.Add("noexec");
        if ((flags & Libc.MS_NOATIME) != 0) names.Add("noatime");
        if (!string.IsNullOrEmpty(data)) names.Add(data);
        return string.Join(",", names);
    }
}
