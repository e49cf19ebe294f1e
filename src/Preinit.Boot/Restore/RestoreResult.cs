// What restoring a sysupgrade archive did: how many of each kind it restored, every problem in
// words, and where the archive went.
namespace Preinit.Boot.Restore;

public enum ArchiveFate
{
    /// <summary>Everything in it was restored, so it was deleted.</summary>
    Removed,
    /// <summary>Something was not restored: it was renamed to <see
    /// cref="RestoreResult.FailedPath"/> so the next boot does not try it again.</summary>
    RenamedFailed,
    /// <summary>There was no archive: nothing to do.</summary>
    NotFound,
    /// <summary>It could be neither deleted nor renamed (the reason is among the problems); it is where it was.</summary>
    LeftInPlace,
}

/// <param name="Files">Regular files written.</param>
/// <param name="Directories">Directory members (made, or already there and given the archive's owner, mode and time).</param>
/// <param name="Links">Symbolic and hard links.</param>
/// <param name="Nodes">Device nodes and fifos.</param>
/// <param name="Skipped">Members not restored; each has a line in <paramref name="Problems"/>.</param>
/// <param name="Problems">Every member not restored with the reason, and what stopped the restore, if anything did.</param>
public sealed record RestoreResult(int Files, int Directories, int Links, int Nodes, int Skipped,
    IReadOnlyList<string> Problems, ArchiveFate Fate, string? FailedPath)
{
    /// <summary>Every member was restored and the archive is gone.</summary>
    public bool Complete => Fate == ArchiveFate.Removed;

    public static RestoreResult NotFound { get; } = new(0, 0, 0, 0, 0, [], ArchiveFate.NotFound, null);
}
