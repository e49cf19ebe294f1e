// restore_config: a configuration saved by `sysupgrade -b` is unpacked over the root once the root
// is final: /sysupgrade.tgz (with extroot, on the stick's layer), or a sysupgrade.tgz put at the top
// of the stick from another machine.
using Preinit.Boot.Extroot;
using Preinit.Core.Hooks;

namespace Preinit.Boot.Restore;

public sealed record RestoreConfigStep(ExtrootState Extroot) : IBootStep
{
    public bool Optional => true;

    public IEnumerable<string> Candidates()
    {
        yield return SysupgradeArchive.DefaultPath;
        // Only a stick that takes changes: an archive left on it is removed once restored.
        if (Extroot is { Use: StickUse.Root, Mounted: { Kind: Core.Fstab.ExtrootKind.Overlay, ReadOnly: false } stick })
            yield return Path.Combine(stick.Target, Path.GetFileName(SysupgradeArchive.DefaultPath));
    }

    public StepOutcome Run(IStepContext context)
    {
        foreach (var archive in Candidates().Where(File.Exists))
        {
            context.Note($"- config restore - from {archive}");
            var result = SysupgradeArchive.Restore(archive, "/", context.Note);
            foreach (var problem in result.Problems) context.Note($"warning: {problem}");
            context.Note($"{archive}: {result.Files} files, {result.Directories} directories, {result.Links} links restored" +
                (result.Skipped > 0 ? $", {result.Skipped} skipped" : "") +
                (result.Complete ? "; the archive is removed" : result.FailedPath is { } failed ? $"; the archive is kept as {failed}"
                : ""));
        }
        return StepOutcome.Continue;
    }

    public override string ToString() => $"unpack a saved configuration ({string.Join(" or ", Candidates())}) over the root";
}
