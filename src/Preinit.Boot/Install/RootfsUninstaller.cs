// `preinit install --uninstall ROOTFS`: undoes what the manifest says install did, newest first:
// removes the files and links it made (only while unchanged: a file someone edited is kept and
// reported), puts back what it moved aside, removes the directories it made if they are empty,
// and gives the directories it changed their old times again.
using Preinit.Interop;

namespace Preinit.Boot.Install;

public static class RootfsUninstaller
{
    /// <returns>How many paths were kept (changed since install, or in the way); each has a line in <paramref name="report"/>.</returns>
    /// <exception cref="InstallException">No manifest, a damaged one, or a failed call (with the fix).</exception>
    public static int Uninstall(string rootfs, Action<string> report)
    {
        var root = RootfsPath.CheckRoot(rootfs);
        var manifestPath = RootfsPath.Full(root, RootfsPath.Resolve(root, InstallManifest.RelativePath, followLast: true));
        if (!File.Exists(manifestPath))
            throw new InstallException($"{manifestPath} not found: preinit was not installed in {root} by `preinit install` " +
                "(or is uninstalled already), so there is nothing to undo");
        var manifest = ReadManifest(manifestPath);
        string Full(string relative) => RootfsPath.Full(root, relative);
        void Report(string action, string path, string detail) => report($"{action,-10} {path}: {detail}");
        var kept = 0;
        try
        {
            // Decided before anything changes them: only a directory nobody touched since install gets its times back.
            var times = manifest.Entries.OfType<DirectoryTimes>()
                .Where(t => Libc.TryLstat(Full(t.Path), out var st) && Same(st.stx_mtime.ToTimespec(), t.AfterInstall)).ToList();

            foreach (var entry in Enumerable.Reverse(manifest.Entries))
            {
                var path = Full(entry.Path);
                var there = Libc.TryLstat(path, out var st);
                switch (entry)
                {
                    case CreatedFile or CreatedLink when !there:
                        Report("gone", path, "removed already");
                        break;
                    case CreatedFile file when st.FileType == Libc.S_IFREG && InstallManifest.Fingerprint(file.Path, path) == file:
                    case CreatedLink link when st.FileType == Libc.S_IFLNK && Libc.Readlink(path) == link.Target:
                        Libc.Unlink(path);
                        Report("removed", path, entry is CreatedLink l ? $"-> {l.Target}" : "as installed");
                        break;
                    case CreatedFile or CreatedLink:
                        kept++;
                        Report("kept", path, "changed since preinit was installed");
                        break;
                    case MovedAside moved when !there:
                        Libc.Rename(Full(moved.Backup), path);
                        Report("restored", path, $"from {Full(moved.Backup)}");
                        break;
                    case MovedAside moved:
                        kept++;
                        Report("kept", Full(moved.Backup), $"{path} is in the way (changed since install): put it back by hand");
                        break;
                }
            }
            Libc.Unlink(manifestPath);
            Report("removed", manifestPath, "the install record");
            foreach (var directory in Enumerable.Reverse(manifest.Entries).OfType<CreatedDirectory>())
            {
                var path = Full(directory.Path);
                if (!Directory.Exists(path)) continue;
                if (Directory.EnumerateFileSystemEntries(path).Any())
                {
                    kept++;
                    Report("kept", path, "directory, not empty");
                    continue;
                }
                Libc.Rmdir(path);
                Report("removed", path, "directory");
            }
            foreach (var t in times)
                if (Libc.TryLstat(Full(t.Path), out _)) Libc.Lutimes(Full(t.Path), t.Atime, t.Mtime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InstallException.Explain(e, root, null);
        }
        return kept;
    }

    /// <exception cref="InstallException">The manifest cannot be read or is damaged.</exception>
    public static InstallManifest ReadManifest(string file)
    {
        try { return InstallManifest.Parse(File.ReadAllText(file), file); }
        catch (InvalidDataException e)
        {
            throw new InstallException($"{e.Message}: the install record is damaged; undo the install by hand, then remove {file}");
        }
    }

    private static bool Same(timespec a, timespec b) => a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}
