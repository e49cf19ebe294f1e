// `preinit install ROOTFS`: puts preinit into an existing rootfs directory: the binary as
// /sbin/preinit, the glibc files it needs where the rootfs lacks them, /init linked to it, and
// /etc/preinit linked to it too, or, in a rootfs with procd (today's OpenWrt), the script procd's
// init runs (ProcdInit.PreinitScript); the default 00_preinit.conf and fstab unless the rootfs has
// its own. What is
// in the way is moved aside (NAME.preinit-orig), never overwritten, and every change goes into
// the manifest, so RootfsUninstaller can undo exactly that. Installing again updates the binary.
using Preinit.Boot.Extroot;
using Preinit.Boot.Platform;
using Preinit.Boot.Stages;
using Preinit.Interop;

namespace Preinit.Boot.Install;

public sealed class RootfsInstaller
{
    public const string BackupSuffix = ".preinit-orig";
    private const string TemporaryTag = "preinit-install";
    private const uint ExecutableMode = 0b111_101_101, DataMode = 0b110_100_100, DirectoryMode = 0b111_101_101;

    private readonly string _root;
    private readonly InstallManifest _manifest;
    private readonly Action<string> _report;

    private RootfsInstaller(string root, InstallManifest manifest, Action<string> report) =>
        (_root, _manifest, _report) = (root, manifest, report);

    /// <param name="binary">The preinit executable to install (the running one, for the verb).</param>
    /// <param name="report">One line per path: what was done to it, or why it was left.</param>
    /// <exception cref="InstallException">What stopped it, naming the path and the fix; what was done
    /// until then is in the manifest, so --uninstall undoes it.</exception>
    public static void Install(string rootfs, string binary, Action<string> report)
    {
        var root = RootfsPath.CheckRoot(rootfs);
        if (!File.Exists(binary)) throw new InstallException($"{binary}: no such file; give the preinit executable with --binary");
        var libraries = LibraryResolver.For(binary);
        var manifestPath = RootfsPath.Resolve(root, InstallManifest.RelativePath, followLast: true);
        var manifest = new InstallManifest();
        if (File.Exists(RootfsPath.Full(root, manifestPath)))
        {
            manifest = RootfsUninstaller.ReadManifest(RootfsPath.Full(root, manifestPath));
            report($"already installed in {root}: updating what changed");
        }
        new RootfsInstaller(root, manifest, report).Run(binary, libraries, manifestPath);
    }

    private void Run(string binary, IReadOnlyList<string> libraries, string manifestPath)
    {
        Exception? failure = null;
        try
        {
            // Made first and empty, so that a failure later can still record what was done.
            var manifest = Place(manifestPath);
            if (!Libc.TryLstat(Full(manifest), out _))
            {
                Touch(RootfsPath.Parent(manifest));
                File.WriteAllBytes(Full(manifest), []);
            }
            InstallOurs("sbin/preinit", File.ReadAllBytes(binary), $"from {binary}");
            var (theirs, copied) = (new List<string>(), new List<string>());
            foreach (var library in libraries)
            {
                var kept = InstallDefault(library.TrimStart('/'), File.ReadAllBytes(library), Libc.Stat(library).stx_mode & 0xFFFu,
                    _ => "the rootfs has its own");
                (kept ? theirs : copied).Add(Path.GetFileName(library));
            }
            // ld.so, libc and libm of different glibc builds refuse each other (GLIBC_PRIVATE symbols).
            if (theirs.Count > 0 && copied.Count > 0)
                _report($"{"warning",-10} {_root}: it has its own {string.Join(", ", theirs)} but not " +
                    $"{string.Join(", ", copied)}, copied from this machine; files of two glibc builds may not work together: " +
                    $"check with `chroot {_root} /sbin/preinit version`");
            Link("init", "sbin/preinit");
            if (ProcdInit.InRootfs(_root))
            {
                _report($"{"found",-10} {Full(ProcdInit.Procd.TrimStart('/'))}: procd's init runs /etc/preinit " +
                    "as its child, so it is a script");
                InstallOurs("etc/preinit", System.Text.Encoding.UTF8.GetBytes(ProcdInit.PreinitScript), "for procd's init");
            }
            else Link("etc/preinit", "../sbin/preinit");
            _ = InstallDefault("lib/preinit/00_preinit.conf", DefaultFiles.PreinitConf, DataMode, _ => "the rootfs has its own settings");
            _ = InstallDefault("etc/config/fstab", DefaultFiles.Fstab, DataMode, DescribeFstab);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InstallException)
        {
            failure = e;
        }

        var full = Full(manifestPath);
        bool saved;
        try { saved = Save(full); }
        catch (Exception e) when (failure is not null && e is IOException or UnauthorizedAccessException) { saved = false; }
        if (failure is null)
        {
            _report($"{"recorded",-10} {full}: `preinit install --uninstall {_root}` undoes all of this");
            return;
        }
        var undo = saved && _manifest.Entries.Any(e => e is not DirectoryTimes)
            ? $"what was done is recorded in {full}: `preinit install --uninstall {_root}` undoes it" : null;
        throw failure is InstallException known
            ? new InstallException(known.Message + (undo is null ? "" : $"; {undo}"))
            : InstallException.Explain(failure, _root, undo);
    }

    /// <summary>A file of preinit's: what is there already is moved aside, an earlier install's copy updated.</summary>
    private void InstallOurs(string relative, byte[] content, string from)
    {
        var path = Place(relative);
        var ours = _manifest.Find<CreatedFile>(path);
        if (_manifest.Find<CreatedLink>(path) is not null)
            throw KindChanged(path, "a link to preinit from an earlier install, made when the rootfs had no procd");
        if (Libc.TryLstat(Full(path), out var st))
        {
            if (st.FileType == Libc.S_IFREG && InstallManifest.Fingerprint(path, Full(path)) == InstallManifest.Fingerprint(path, content))
            {
                Report("unchanged", path, ours is null ? "the same file is there already" : "already installed");
                return;
            }
            if (ours is null) MoveAside(path);
        }
        Write(path, content, ExecutableMode);
        Report(ours is null ? "installed" : "updated", path, $"{content.Length} bytes {from}");
    }

    /// <summary>An earlier install made <paramref name="path"/> another kind of thing (procd came or went since).</summary>
    private InstallException KindChanged(string path, string was) =>
        new($"{Full(path)} is {was}: run `preinit install --uninstall {_root}`, then install again");

    /// <summary>A file the rootfs may have already: written only where it lacks one (followed through its links).</summary>
    /// <returns>Whether the rootfs's own file stays in use.</returns>
    private bool InstallDefault(string relative, byte[] content, uint mode, Func<string, string> describeTheirs)
    {
        var resolved = RootfsPath.Resolve(_root, relative, followLast: true);
        var ours = _manifest.Find<CreatedFile>(resolved);
        if (Libc.TryLstat(Full(resolved), out _))
        {
            if (ours is null)
            {
                Report("kept", resolved, describeTheirs(Full(resolved)));
                return true;
            }
            if (InstallManifest.Fingerprint(resolved, Full(resolved)) != ours)
                Report("kept", resolved, "changed since preinit was installed");
            else if (ours == InstallManifest.Fingerprint(resolved, content)) Report("unchanged", resolved, "already installed");
            else
            {
                Write(resolved, content, mode);
                Report("updated", resolved, $"{content.Length} bytes");
            }
            return false;
        }
        var path = Place(relative);
        if (Libc.TryLstat(Full(path), out _))
        {
            // Only a symlink that leads nowhere gets here: replacing it would hide the rootfs's intent.
            Report("kept", path, $"a symbolic link to {Libc.Readlink(Full(path))}, which is not there: fix it, or preinit may not start");
            return true;
        }
        Write(path, content, mode);
        Report("created", path, $"{content.Length} bytes");
        return false;
    }

    private void Link(string relative, string target)
    {
        var path = Place(relative);
        var ours = _manifest.Find<CreatedLink>(path);
        if (_manifest.Find<CreatedFile>(path) is not null)
            throw KindChanged(path, "preinit's script for procd's init from an earlier install, made when the rootfs had procd");
        if (Libc.TryLstat(Full(path), out var st))
        {
            if (st.FileType == Libc.S_IFLNK && Libc.Readlink(Full(path)) == target)
            {
                Report("unchanged", path, $"-> {target}, {(ours is null ? "there already" : "already installed")}");
                return;
            }
            if (ours is not null)
            {
                Report("kept", path, $"changed since preinit was installed (it linked to {target}): left as it is");
                return;
            }
            MoveAside(path);
        }
        Touch(RootfsPath.Parent(path));
        Libc.Symlink(target, Full(path));
        _manifest.Record(new CreatedLink(path, target));
        Report("linked", path, $"-> {target}");
    }

    private string DescribeFstab(string file)
    {
        var fstab = FstabFile.Read(file, _ => { });
        if (fstab?.Extroot is { } mount)
            return $"the rootfs has its own, with an extroot entry ({mount.Section}: {mount.SpecText} on {mount.Target})";
        var lines = DefaultFiles.FstabExtrootSection.TrimEnd().Split('\n').Select(l => "    " + l);
        return "the rootfs has its own, with no extroot entry: not edited. For the stick labelled rootfs_data, add:\n" +
            string.Join('\n', lines);
    }

    private void MoveAside(string path)
    {
        var backup = path + BackupSuffix;
        if (Libc.TryLstat(Full(backup), out _))
            throw new InstallException($"{Full(path)} is in the way and {Full(backup)} exists already (from an earlier install?): " +
                "put it back or remove it, then install again");
        Touch(RootfsPath.Parent(path));
        Libc.Rename(Full(path), Full(backup));
        _manifest.Record(new MovedAside(path, backup));
        Report("moved", path, $"to {Full(backup)}, put back by --uninstall");
    }

    /// <summary>Writes under a temporary name and renames it into place: never half a binary at /sbin/preinit.</summary>
    private void Write(string path, byte[] content, uint mode)
    {
        Touch(RootfsPath.Parent(path));
        ReplaceFile.Replace(Full(path), TemporaryTag, temporary =>
        {
            ReplaceFile.WriteNew(temporary, output => output.Write(content));
            Libc.Chmod(temporary, mode); // not the umask's idea of it
        });
        _manifest.Record(InstallManifest.Fingerprint(path, content));
    }

    /// <summary>The path of <paramref name="relative"/> inside the rootfs with its parents followed and made where missing.</summary>
    private string Place(string relative)
    {
        var parent = RootfsPath.Resolve(_root, RootfsPath.Parent(relative), followLast: true);
        var current = "";
        foreach (var part in parent.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = current.Length == 0 ? part : current + "/" + part;
            if (!Libc.TryLstat(Full(next), out var st))
            {
                Touch(current);
                Libc.Mkdir(Full(next), DirectoryMode);
                Libc.Chmod(Full(next), DirectoryMode);
                _manifest.Record(new CreatedDirectory(next));
                Report("created", next, "directory");
            }
            else if (st.FileType != Libc.S_IFDIR)
                throw new InstallException($"{Full(next)} is not a directory, and preinit needs {Full(relative)} below it: " +
                    "move it away, then install again");
            current = next;
        }
        var name = Path.GetFileName(relative);
        return current.Length == 0 ? name : current + "/" + name;
    }

    /// <summary>Called before a directory that was there before install is changed: keeps its times for uninstall.</summary>
    private void Touch(string directory)
    {
        if (_manifest.Find<CreatedDirectory>(directory) is not null || _manifest.Find<DirectoryTimes>(directory) is not null) return;
        var st = Libc.Lstat(Full(directory));
        _manifest.Record(new DirectoryTimes(directory, st.stx_atime.ToTimespec(), st.stx_mtime.ToTimespec(), default));
    }

    /// <summary>Writes the manifest over the empty one made first: in place, so its directory's time is the one recorded.</summary>
    private bool Save(string file)
    {
        if (!File.Exists(file) && _manifest.Entries.Count == 0) return false;
        foreach (var times in _manifest.Entries.OfType<DirectoryTimes>().ToArray())
            if (Libc.TryLstat(Full(times.Path), out var st))
                _manifest.Record(times with { AfterInstall = st.stx_mtime.ToTimespec() });
        using var output = new FileStream(file, FileMode.Create, FileAccess.Write);
        output.Write(System.Text.Encoding.UTF8.GetBytes(_manifest.Format()));
        output.Flush(flushToDisk: true);
        return true;
    }

    private string Full(string relative) => RootfsPath.Full(_root, relative);

    private void Report(string action, string path, string detail) => _report($"{action,-10} {Full(path)}: {detail}");
}
