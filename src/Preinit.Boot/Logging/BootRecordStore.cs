// The boot logs kept in a .preinit/boots directory: written so that a power cut leaves the old
// record or the new one, never half of one (a temporary file, fsync, rename, fsync of the
// directory), the newest BootRecordName.Keep kept, and read back with a cap (the stick may come from
// anywhere: a FIFO or a huge file there must not hang or exhaust the reader).
using Preinit.Boot.Platform;
using Preinit.Core.BootLogs;
using Preinit.Interop;

namespace Preinit.Boot.Logging;

public static class BootRecordStore
{
    public const int MaxRecordBytes = 16 << 20;
    private const string Temporary = ".saving.tmp";

    /// <summary>Copies <paramref name="source"/> into <paramref name="directory"/> as <paramref name="name"/> (replacing
    /// it if there), then removes the records beyond the newest <see cref="BootRecordName.Keep"/>, oldest first.</summary>
    /// <returns>The names removed.</returns>
    public static List<string> Write(string directory, string name, string source)
    {
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, Temporary);
        try
        {
            using (var input = RegularFile.OpenRead(source))
            using (var output = RegularFile.CreateNew(temporary))
            {
                input.CopyTo(output);
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path.Combine(directory, name), overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        SyncDirectory(directory);
        var removed = BootRecordName.ToRemove(Names(directory));
        foreach (var old in removed) File.Delete(Path.Combine(directory, old));
        if (removed.Count > 0) SyncDirectory(directory);
        return removed;
    }

    /// <summary>The rename is durable only once the directory itself reaches the disk.</summary>
    private static void SyncDirectory(string directory)
    {
        var fd = Libc.Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        try { Libc.Fsync(fd); }
        finally { Libc.Close(fd); }
    }

    public static IEnumerable<string> Names(string directory)
    {
        foreach (var path in Directory.EnumerateFiles(directory)) yield return Path.GetFileName(path);
    }

    /// <summary>The records in <paramref name="directory"/>, newest first.</summary>
    public static List<BootRecordName> List(string directory) => BootRecordName.NewestFirst(Names(directory));

    /// <summary>A record's lines (at most <see cref="MaxRecordBytes"/> of it; only a regular file is read). The buffer is
    /// the file's size, not the cap: `--list` reads every record, and a log is tens of kilobytes.</summary>
    public static string[] ReadLines(string path)
    {
        using var stream = RegularFile.OpenRead(path);
        var buffer = new byte[(int)Math.Min(stream.Length, MaxRecordBytes)];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length).Split('\n');
    }
}
