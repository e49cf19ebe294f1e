// Puts a file (or link, or node) in place by making it under a temporary name in the same
// directory and renaming it over the final one: whoever looks, or boots after a power cut, finds
// the old one or the new one whole, never half of it. Restoring a backup and installing preinit
// both write this way.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class ReplaceFile
{
    /// <summary>Makes the new entry with <paramref name="make"/> (given the
    /// temporary path) and renames it over <paramref name="path"/>.</summary>
    /// <param name="tag">Names the caller in the temporary name (".TAG-RANDOM",
    /// short enough beside a 255-byte name). The name is new each time and
    /// <paramref name="make"/> creates it exclusively (O_EXCL, mknod, symlink and link all refuse an existing name),
    /// so no entry of the tree being written, whatever its name, is ever taken for the temporary one.</param>
    public static void Replace(string path, string tag, Action<string> make)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{tag}-{Guid.NewGuid():N}");
        try
        {
            make(temporary);
            Libc.Rename(temporary, path);
            // rename(2) does nothing when both names are links to one file (a hard link made again).
            RemoveIfThere(temporary);
        }
        catch
        {
            RemoveIfThere(temporary);
            throw;
        }
    }

    /// <summary>Creates <paramref name="path"/>, which must not exist (O_EXCL: never through a symlink),
    /// as 0600, writes it and syncs it to disk; the caller sets owner and mode.</summary>
    public static void WriteNew(string path, Action<Stream> write)
    {
        using var output = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        write(output);
        output.Flush(flushToDisk: true);
    }

    private static void RemoveIfThere(string path)
    {
        if (Libc.TryLstat(path, out _)) Libc.Unlink(path);
    }
}
