// Puts a file (or link, or node) in place by making it under a temporary name in the same
// directory and renaming it over the final one: whoever looks, or boots after a power cut, finds
// the old one or the new one whole, never half of it. Restoring a backup and installing preinit
// both write this way.
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class ReplaceFile
{
    /// <summary>Makes the new entry with <paramref name="make"/> (given the temporary path) and renames it over <paramref name="path"/>.</summary>
    /// <param name="temporaryName">A name of the caller's own; a leftover of it (from a power cut) is removed first.</param>
    public static void Replace(string path, string temporaryName, Action<string> make)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, temporaryName);
        RemoveIfThere(temporary);
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
