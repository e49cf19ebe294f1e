// The record `preinit install` keeps in the rootfs of what it created and moved aside, so that
// `--uninstall` undoes exactly that and nothing else: one line per change, tab-separated, in the
// order made. Paths are relative to the rootfs, with its symlinks already followed.
using System.Globalization;
using System.Text;
using Preinit.Core.Hashing;
using Preinit.Interop;

namespace Preinit.Boot.Install;

public abstract record ManifestEntry(string Path);

public sealed record CreatedDirectory(string Path) : ManifestEntry(Path);

/// <summary>A file written by install: removed by uninstall only while it still has this size and hash.</summary>
public sealed record CreatedFile(string Path, long Size, string Sha256) : ManifestEntry(Path);

public sealed record CreatedLink(string Path, string Target) : ManifestEntry(Path);

/// <summary>What was at <paramref name="Path"/> before, renamed to <paramref name="Backup"/>.</summary>
public sealed record MovedAside(string Path, string Backup) : ManifestEntry(Path);

/// <summary>
/// A directory that was there before install changed it: its times then, and its mtime after
/// install. Uninstall puts the old times back only if the mtime is still the one install left,
/// so a later change by someone else is never hidden.
/// </summary>
public sealed record DirectoryTimes(string Path, timespec Atime, timespec Mtime, timespec AfterInstall) : ManifestEntry(Path);

public sealed class InstallManifest
{
    public const string RelativePath = "lib/preinit/.preinit-install";
    private const string Heading = "# preinit install: what it created and moved aside here; " +
        "`preinit install --uninstall ROOTFS` undoes exactly this.";

    public List<ManifestEntry> Entries { get; } = [];

    public T? Find<T>(string path) where T : ManifestEntry => Entries.OfType<T>().FirstOrDefault(e => e.Path == path);

    /// <summary>Replaces the entry of the same kind for the same path, or adds it at the end.</summary>
    public void Record(ManifestEntry entry)
    {
        var index = Entries.FindIndex(e => e.GetType() == entry.GetType() && e.Path == entry.Path);
        if (index >= 0) Entries[index] = entry;
        else Entries.Add(entry);
    }

    public string Format()
    {
        var text = new StringBuilder(Heading).Append('\n');
        foreach (var entry in Entries)
        {
            if (entry.Path.Contains('\t') || entry.Path.Contains('\n'))
                throw new InstallException($"'{entry.Path}' holds a tab or newline, " +
                    "which the manifest cannot record; rename it in the rootfs");
            text.AppendJoin('\t', entry switch
            {
                CreatedDirectory d => ["dir", Name(d.Path)],
                CreatedFile f => ["file", f.Path, f.Size.ToString(CultureInfo.InvariantCulture), f.Sha256],
                CreatedLink l => ["link", l.Path, l.Target],
                MovedAside m => ["moved", m.Path, m.Backup],
                DirectoryTimes t => new[] { "times", Name(t.Path), Time(t.Atime), Time(t.Mtime), Time(t.AfterInstall) },
                _ => throw new InvalidOperationException(entry.GetType().Name),
            }).Append('\n');
        }
        return text.ToString();
    }

    /// <exception cref="InvalidDataException">A line that is none of the kinds written, naming the file and line.</exception>
    public static InstallManifest Parse(string text, string file)
    {
        var manifest = new InstallManifest();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#')) continue;
            var f = lines[i].Split('\t');
            ManifestEntry? entry = (f[0], f.Length) switch
            {
                ("dir", 2) => new CreatedDirectory(Path(f[1])),
                ("file", 4) when long.TryParse(f[2], CultureInfo.InvariantCulture, out var size) => new CreatedFile(f[1], size, f[3]),
                ("link", 3) => new CreatedLink(f[1], f[2]),
                ("moved", 3) => new MovedAside(f[1], f[2]),
                ("times", 5) when TryTime(f[2], out var a) && TryTime(f[3], out var m) && TryTime(f[4], out var after) =>
                    new DirectoryTimes(Path(f[1]), a, m, after),
                _ => null,
            };
            manifest.Entries.Add(entry ?? throw new InvalidDataException($"{file}:{i + 1}: " +
                $"'{lines[i]}' is not a line preinit install writes"));
        }
        return manifest;
    }

    /// <summary>Size and SHA-256 of what was written, to tell later whether someone changed it.</summary>
    public static CreatedFile Fingerprint(string path, byte[] content) => new(path, content.Length, Sha256.HexOf(content));

    /// <summary>The same for a file on disk.</summary>
    public static CreatedFile Fingerprint(string path, string file) => Fingerprint(path, File.ReadAllBytes(file));

    /// <summary>The root itself is "" in memory and "." on disk.</summary>
    private static string Name(string path) => path.Length == 0 ? "." : path;

    private static string Path(string name) => name == "." ? "" : name;

    private static string Time(timespec t) => $"{t.tv_sec}.{t.tv_nsec:D9}";

    private static bool TryTime(string text, out timespec time)
    {
        time = default;
        var dot = text.IndexOf('.');
        if (dot < 0 || !long.TryParse(text[..dot], CultureInfo.InvariantCulture, out var seconds) ||
            !long.TryParse(text[(dot + 1)..], CultureInfo.InvariantCulture, out var nanoseconds))
            return false;
        time = new timespec { tv_sec = seconds, tv_nsec = nanoseconds };
        return true;
    }
}
