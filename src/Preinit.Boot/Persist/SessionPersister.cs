// Saving a RAM-only session onto a mounted stick (`preinit persist`): the stick's next upper layer
// is built in a staging directory on the stick (LayerMerge), written out (syncfs), and swapped with
// the layer in use in one rename (RENAME_EXCHANGE). A power cut before the swap leaves the stick as
// it was, after it as it will be: boot only ever reads upper/, and a staging directory left behind
// is removed by the next persist. Room is checked before anything is written.
using Preinit.Boot.Extroot;
using Preinit.Core.Extroot;
using Preinit.Core.Sizes;
using Preinit.Interop;

namespace Preinit.Boot.Persist;

/// <summary>Nothing was changed on the stick, for the reason given.</summary>
public sealed class PersistRefused(string message) : Exception(message);

public static class SessionPersister
{
    /// <summary>Where the next layer is built (and where the replaced one goes to be removed), beside upper/.</summary>
    public const string StagingPath = ".preinit/persist";

    /// <param name="session">The session's upper layer (in RAM).</param>
    /// <param name="stickMount">Where the stick is mounted read-write.</param>
    /// <param name="identity">The record boot would write: this system, and the stick's UUID.</param>
    /// <returns>What the session changed, all of it now on the stick.</returns>
    public static LayerSurvey Save(string session, string stickMount, SystemIdentity identity, Action<string> log)
    {
        var upper = new OverlayPivotRequest(stickMount).StickUpper;
        var staging = Path.Combine(stickMount, StagingPath);
        var hasLayer = Libc.TryLstat(upper, out var found);
        if (hasLayer && found.FileType != Libc.S_IFDIR)
            throw new PersistRefused($"{upper} is {Platform.FileKind.Describe(found.stx_mode)}, not a directory, " +
                "so it cannot hold the changes; remove it from the stick, then run preinit persist again");
        RemoveLeftover(staging, log);

        var blockSize = Libc.Statfs(stickMount).f_bsize;
        var changes = LayerSurvey.Of(session, blockSize);
        var saved = hasLayer ? LayerSurvey.Of(upper, blockSize) : null;
        EnsureRoom(stickMount, changes, saved?.Directories ?? 0, blockSize);

        Directory.CreateDirectory(Path.GetDirectoryName(staging)!);
        try
        {
            LayerMerge.Build(session, hasLayer ? upper : null, staging);
            StickIdentity.Write(staging, identity);
            Libc.SyncFilesystem(stickMount);
        }
        catch
        {
            RemoveLeftover(staging, _ => { });
            throw;
        }
        if (hasLayer) Libc.Exchange(staging, upper);
        else Libc.Rename(staging, upper);
        Libc.SyncFilesystem(stickMount);
        if (hasLayer) log($"kept what the stick had saved before, under this session's changes: {saved}");
        RemoveLeftover(staging, _ => { });
        return changes;
    }

    /// <summary>The new layer costs the session's changes plus a new directory for each saved one (files are linked).</summary>
    private static void EnsureRoom(string stickMount, LayerSurvey changes, int savedDirectories, long blockSize)
    {
        var bytes = changes.BlockBytes + savedDirectories * blockSize + StickSpace.MinFreeBytes;
        var inodes = changes.Entries + savedDirectories + StickSpace.MinFreeInodes;
        var space = StickSpaceMeter.Measure(stickMount);
        if (space.FreeBytes >= bytes && (space.TotalInodes == 0 || space.FreeInodes >= inodes)) return;
        throw new PersistRefused($"the stick has {space}, and saving this session needs {ByteSize.Human(bytes)} and {inodes} inodes " +
            $"({changes}); nothing was written. Make room on the stick, or use a bigger one");
    }

    private static void RemoveLeftover(string staging, Action<string> log)
    {
        if (!Libc.TryLstat(staging, out var found)) return;
        if (found.FileType == Libc.S_IFDIR) Directory.Delete(staging, recursive: true);
        else Libc.Unlink(staging);
        log($"removed {staging}, left by a persist that did not finish");
    }
}
