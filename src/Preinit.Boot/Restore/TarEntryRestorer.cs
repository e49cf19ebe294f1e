// Writes the members of a tar archive below a root, one at a time, so that nothing lands outside
// it: ".." names are refused (ArchivePath), and so is a member whose parent inside the root is a
// symlink (checked with lstat, component by component), so an archive that first makes `etc -> /`
// cannot then write `etc/passwd` through it. Each member is made under a temporary name and renamed
// into place, so a member that fails leaves the old file whole. Boot runs this with nothing else
// touching the root, which is why checking and then writing by path is enough.
using System.Formats.Tar;
using Preinit.Boot.Platform;
using Preinit.Core.Restore;
using Preinit.Interop;

namespace Preinit.Boot.Restore;

public sealed class TarEntryRestorer(string root, Action<string> log)
{
    /// <summary>Names the restorer in its temporary names (see ReplaceFile: new each time, created exclusively).</summary>
    private const string TemporaryTag = "preinit-restore";
    private const uint PermissionBits = 0b111_111_111_111;

    /// <summary>As tar: owners are restored only by root (an ordinary user cannot give files away).</summary>
    private readonly bool asRoot = Libc.Geteuid() == 0;
    private readonly List<(string Path, TarEntry Entry)> directories = [];
    private readonly List<string> problems = [];

    public int Files { get; private set; }
    public int Directories { get; private set; }
    public int Links { get; private set; }
    public int Nodes { get; private set; }
    public int Skipped { get; private set; }
    public IReadOnlyList<string> Problems => problems;

    /// <summary>Restores one member, or skips it with a logged reason. Errors reading the archive
    /// (its data ends early, it is corrupt) are left to the caller: they end the restore.</summary>
    public void Restore(TarEntry entry)
    {
        // A PAX global header holds settings for the archive, it is not a member.
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes) return;
        // GNU tar's POSIX sparse format: a PAX header with GNU.sparse.* and a name "GNUSparseFile.N/NAME" whose data
        // is a map followed by the pieces. Restored as it stands it would be a wrong file under a wrong name.
        if (entry is PaxTarEntry pax && SparseName(pax) is { } sparse)
        {
            Skip(sparse, "a sparse file (GNU.sparse.* in its PAX header) is not restored (unpack it by hand with tar)");
            return;
        }
        if (!ArchivePath.TryResolve(entry.Name, out var relative, out var problem)) { Skip(entry.Name, problem); return; }
        if (relative.Length == 0)
        {
            // `tar -C / .` writes "./": tar would give the root the archive's owner and mode; a
            // backup of configuration files has no business changing them.
            if (entry.EntryType == TarEntryType.Directory) log($"{entry.Name}: the root itself, left as it is");
            else Skip(entry.Name, "names the root itself");
            return;
        }
        try
        {
            if (ParentProblem(relative, create: true) is { } parent) { Skip(relative, parent); return; }
            Write(entry, relative, Path.Combine(root, relative));
        }
        catch (Exception e) when (e is (IOException and not EndOfStreamException) or UnauthorizedAccessException)
        {
            Skip(relative, e.Message);
        }
    }

    /// <summary>The member's real name when its PAX header marks it as a GNU sparse file, else null.</summary>
    private static string? SparseName(PaxTarEntry entry)
    {
        foreach (var (key, value) in entry.ExtendedAttributes)
            if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                return entry.ExtendedAttributes.TryGetValue("GNU.sparse.name", out var name) ? name : entry.Name;
        return null;
    }

    /// <summary>Gives the directories their owner, mode and time, deepest first and after everything
    /// written into them, so neither a read-only mode nor the writes undo it.</summary>
    public void Finish()
    {
        for (var i = directories.Count - 1; i >= 0; i--)
        {
            var (path, entry) = directories[i];
            try { ApplyMetadata(path, entry); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problems.Add($"{entry.Name}: {e.Message}"); }
        }
        directories.Clear();
    }

    private void Write(TarEntry entry, string relative, string path)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!Libc.TryLstat(path, out var existing)) Libc.Mkdir(path, 0b111_000_000);
                else if (existing.FileType != Libc.S_IFDIR) { Skip(relative, $"{FileKind.Describe(existing.stx_mode)} is " +
                    "there: not replaced by a directory"); return; }
                directories.Add((path, entry));
                Directories++;
                log($"restored {relative}/");
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Replace(path, temporary => WriteData(temporary, entry), entry);
                Files++;
                log($"restored {relative}");
                return;
            case TarEntryType.SymbolicLink:
                Replace(path, temporary => Libc.Symlink(entry.LinkName, temporary), entry);
                Links++;
                log($"restored {relative} -> {entry.LinkName}");
                return;
            case TarEntryType.HardLink:
                if (!HardLinkTarget(entry, out var target, out var why)) { Skip(relative, why); return; }
                Replace(path, temporary => Libc.Link(target, temporary), metadata: null);
                Links++;
                log($"restored {relative} (hard link to {Path.GetRelativePath(root, target)})");
                return;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                var type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => Libc.S_IFCHR,
                    TarEntryType.BlockDevice => Libc.S_IFBLK,
                    _ => Libc.S_IFIFO,
                };
                var device = type != Libc.S_IFIFO && entry is PosixTarEntry posix
                    ? Libc.MakeDev((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
                Replace(path, temporary => Libc.Mknod(temporary, type | 0b110_000_000, device), entry);
                Nodes++;
                log($"restored {relative}");
                return;
            default:
                // GNU sparse files, multi-volume parts, tape labels: not what sysupgrade -b writes.
                Skip(relative, $"a member of type {entry.EntryType} is not restored (unpack it by hand with tar)");
                return;
        }
    }

    /// <summary>Makes the member under the temporary name, gives it its owner,
    /// mode and time, and renames it over <paramref name="path"/>.</summary>
    private void Replace(string path, Action<string> make, TarEntry? metadata)
    {
        if (Libc.TryLstat(path, out var existing) && existing.FileType == Libc.S_IFDIR)
            throw new IOException($"{path} is a directory: not replaced");
        ReplaceFile.Replace(path, TemporaryTag, temporary =>
        {
            make(temporary);
            if (metadata is not null) ApplyMetadata(temporary, metadata);
        });
    }

    // On the stick a restored file must survive a power cut whole, the same as the one it replaces.
    private static void WriteData(string path, TarEntry entry) => ReplaceFile.WriteNew(path, output => TarGzCheck.CopyData(entry, output));

    /// <summary>Owner first: chown clears setuid and setgid, so the mode comes after it. A symlink has no mode of its own.</summary>
    private void ApplyMetadata(string path, TarEntry entry)
    {
        if (asRoot) Libc.Lchown(path, (uint)entry.Uid, (uint)entry.Gid);
        if (entry.EntryType != TarEntryType.SymbolicLink) Libc.Chmod(path, (uint)entry.Mode & PermissionBits);
        var ticks = (entry.ModificationTime - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0) { seconds--; rest += TimeSpan.TicksPerSecond; }
        var time = new timespec { tv_sec = seconds, tv_nsec = rest * 100 };
        Libc.Lutimes(path, time, time);
    }

    /// <summary>A hard link names an earlier member: that name gets the same checks, and must be there and not be a directory.</summary>
    private bool HardLinkTarget(TarEntry entry, out string target, out string problem)
    {
        target = "";
        if (!ArchivePath.TryResolve(entry.LinkName, out var relative, out problem)) { problem = $"its target '{entry.LinkName}': " +
            $"{problem}"; return false; }
        if (relative.Length == 0) { problem = $"its target '{entry.LinkName}' is the root"; return false; }
        if (ParentProblem(relative, create: false) is { } parent) { problem = $"its target '{relative}': {parent}"; return false; }
        target = Path.Combine(root, relative);
        if (!Libc.TryLstat(target, out var st)) { problem = $"its target '{relative}' is not there"; return false; }
        if (st.FileType == Libc.S_IFDIR) { problem = $"its target '{relative}' is a directory"; return false; }
        return true;
    }

    /// <summary>
    /// Walks the parents of <paramref name="relative"/> below the root with lstat: a symlink or a
    /// non-directory among them is the reason the member is refused. Missing parents are made
    /// (0755, as tar makes them) when <paramref name="create"/>.
    /// </summary>
    private string? ParentProblem(string relative, bool create)
    {
        var parts = relative.Split('/');
        var path = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path = Path.Combine(path, parts[i]);
            var shown = string.Join('/', parts[..(i + 1)]);
            if (!Libc.TryLstat(path, out var st))
            {
                if (!create) return $"{shown} is not there";
                Libc.Mkdir(path, 0b111_101_101);
                continue;
            }
            if (st.FileType == Libc.S_IFLNK)
                return $"its parent {shown} is a symbolic link (to {Libc.Readlink(path)}): not followed, so nothing lands outside {root}";
            if (st.FileType != Libc.S_IFDIR) return $"its parent {shown} is {FileKind.Describe(st.stx_mode)}, not a directory";
        }
        return null;
    }

    private void Skip(string name, string reason)
    {
        Skipped++;
        problems.Add($"{name}: {reason}");
        log($"not restored: {name}: {reason}");
    }
}
