// Stage 1, before the root image: remounts the initramfs (a tmpfs) with the size limit
// InitramfsLimit allows, so the tree and its image fit in RAM together. Optional: on ramfs (no
// limit), without /proc/meminfo or when the remount fails, the image is tried within the old limit.
using Preinit.Core.Hooks;
using Preinit.Core.Sizes;
using Preinit.Interop;

namespace Preinit.Boot.Steps;

public sealed record RaiseInitramfsLimitStep(string Root = "/", string Meminfo = "/proc/meminfo") : IBootStep
{
    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        if (Libc.FilesystemType(Root) != Libc.TMPFS_MAGIC)
        {
            context.Note($"{Root} is not a tmpfs: no size limit to raise");
            return StepOutcome.Continue;
        }
        if (!InitramfsLimit.TryReadMeminfo(File.ReadAllText(Meminfo), out var total, out var available))
            throw new InvalidDataException($"{Meminfo} has no MemTotal or MemAvailable");
        var fs = Libc.Statfs(Root);
        var (used, limit) = ((long)(fs.f_blocks - fs.f_bfree) * fs.f_bsize, (long)fs.f_blocks * fs.f_bsize);
        if (InitramfsLimit.Raised(used, limit, available, total) is not { } raised)
        {
            context.Note($"{Root}: limit {ByteSize.Human(limit)} kept ({ByteSize.Human(used)} used, " +
                $"{ByteSize.Human(available)} of RAM available)");
            return StepOutcome.Continue;
        }
        Libc.Mount(null, Root, null, Libc.MS_REMOUNT, $"size={raised}");
        context.Note($"{Root}: limit {ByteSize.Human(limit)} raised to {ByteSize.Human(raised)} ({ByteSize.Human(used)} used, " +
            $"{ByteSize.Human(available)} of RAM available, {ByteSize.Human(InitramfsLimit.Reserve(total))} kept back)");
        return StepOutcome.Continue;
    }

    public override string ToString() => $"raise the size limit of the initramfs {Root} from half of RAM to what RAM has available";
}
