// restore_config: unpacks the configuration backup `sysupgrade -b` makes (a gzip'd tar of
// etc/config/..., etc/passwd, ...) over the root, then removes it. The archive is read through once
// before anything is written (TarGzCheck), so a truncated or corrupt one changes nothing; the
// members are then written by TarEntryRestorer, which keeps everything inside the root.
using System.Formats.Tar;
using System.IO.Compression;
using Preinit.Interop;

namespace Preinit.Boot.Restore;

public static class SysupgradeArchive
{
    public const string DefaultPath = "/sysupgrade.tgz";

    /// <summary>Appended to an archive that was not wholly restored.</summary>
    public const string FailedSuffix = ".failed";

    /// <summary>
    /// Restores <paramref name="archive"/> over <paramref name="root"/>: files, directories, symlinks,
    /// hard links, device nodes and fifos with their mode (setuid, setgid, sticky included), owner (by
    /// number, as `tar --numeric-owner`; only when running as root) and mtime. Every member restored
    /// or not restored is one line in <paramref name="log"/>, and so is the outcome.
    /// </summary>
    /// <returns>
    /// The counts and problems. When everything was restored the archive is deleted; otherwise it is
    /// renamed to NAME.failed: the next boot would only fail on it again, and the renamed file keeps
    /// what was not restored for someone to look at (`tar tzvf`).
    /// </returns>
    public static RestoreResult Restore(string archive, string root, Action<string> log)
    {
        if (!File.Exists(archive)) return RestoreResult.NotFound;
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            return new RestoreResult(0, 0, 0, 0, 0, [$"{root} is not a directory: {archive} not restored"], ArchiveFate.LeftInPlace, null);

        log($"restoring {archive} over {root}");
        var restorer = new TarEntryRestorer(root, log);
        var stopped = Check(archive) ?? RestoreAll(archive, restorer);
        if (stopped is not null) log(stopped);
        var problems = new List<string>(stopped is null ? [] : [stopped]);
        problems.AddRange(restorer.Problems);

        var (fate, failed) = problems.Count == 0 ? Remove(archive, problems) : RenameFailed(archive, problems);
        log($"{archive}: restored {Count(restorer.Files, "file", "files")}, {Count(restorer.Directories, "directory", "directories")}, " +
            $"{Count(restorer.Links, "link", "links")}, {Count(restorer.Nodes, "device node or fifo", "device nodes and fifos")}; " +
            $"{Count(restorer.Skipped, "member", "members")} not restored; " + fate switch
            {
                ArchiveFate.Removed => "archive removed",
                ArchiveFate.RenamedFailed => $"archive kept as {failed}, so the next boot does not try it again",
                _ => "archive left where it is",
            });
        return new RestoreResult(restorer.Files, restorer.Directories, restorer.Links, restorer.Nodes, restorer.Skipped, problems, fate,
            failed);
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private static string? Check(string archive)
    {
        try { return TarGzCheck.Problem(archive); }
        // Anything: an exception that escaped would leave the archive in place, to fail again at every boot.
        catch (Exception e) when (e is not OutOfMemoryException) { return $"{archive} cannot be read: {e.Message}"; }
    }

    /// <returns>Null when every member was gone through; otherwise why reading stopped (the archive
    /// changed since it was checked, or the medium failed).</returns>
    private static string? RestoreAll(string archive, TarEntryRestorer restorer)
    {
        var entries = 0;
        string? last = null;
        try
        {
            using var file = Platform.RegularFile.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                entries++;
                last = entry.Name;
                restorer.Restore(entry);
            }
            return null;
        }
        // Anything (a PAX time or id beyond range throws ArgumentOutOfRangeException or FormatException): the archive is
        // then set aside as failed, never left to fail again at every boot.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"{archive} could not be read to the end (at entry {entries} '{last}'): {e.Message}; " +
                "only the members listed above as restored were restored";
        }
        finally { restorer.Finish(); }
    }

    private static (ArchiveFate, string?) Remove(string archive, List<string> problems)
    {
        try
        {
            File.Delete(archive);
            return (ArchiveFate.Removed, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{archive} was restored but cannot be removed ({e.Message}): the next boot restores it again");
            return (ArchiveFate.LeftInPlace, null);
        }
    }

    private static (ArchiveFate, string?) RenameFailed(string archive, List<string> problems)
    {
        var failed = archive + FailedSuffix;
        try
        {
            Libc.Rename(archive, failed);
            return (ArchiveFate.RenamedFailed, failed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{archive} cannot be renamed to {failed} ({e.Message}): the next boot tries it again");
            return (ArchiveFate.LeftInPlace, null);
        }
    }
}
