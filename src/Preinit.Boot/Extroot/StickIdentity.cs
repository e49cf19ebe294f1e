// The identity record on a stick's upper layer (see SystemIdentity): this system's identity read
// from the running root's release files, the record read from and written to the upper layer.
using Preinit.Boot.Platform;
using Preinit.Core.Extroot;

namespace Preinit.Boot.Extroot;

public static class StickIdentity
{
    private const int MaxRecordBytes = 4096;

    /// <summary>The system the running root (the lower layer to be) belongs to.</summary>
    public static SystemIdentity Current(string root = "/") =>
        SystemIdentity.FromRelease(
            ReadSmall(Path.Combine(root, "etc/os-release")) ?? ReadSmall(Path.Combine(root, "usr/lib/os-release")),
            ReadSmall(Path.Combine(root, "etc/openwrt_release")));

    /// <param name="layer">An upper layer, or the root of a running overlay.</param>
    public static string RecordFile(string layer) => Path.Combine(layer, SystemIdentity.RecordPath);

    /// <summary>The stick's record; without one, the record OpenWrt's block.c keeps (etc/.extroot-uuid, the UUID of the root
    /// its layer belongs to) as the identity of that OpenWrt system, which is not this one.</summary>
    public static SystemIdentity? Read(string upper) =>
        ReadSmall(RecordFile(upper)) is { } text && SystemIdentity.Parse(text) is { } ours ? ours
        : ReadSmall(Path.Combine(upper, OpenWrtRecordPath)) is { } uuid && uuid.Trim().Length > 0
            ? new SystemIdentity($"OpenWrt (the extroot of its root {uuid.Trim()}, etc/.extroot-uuid)", SystemIdentity.Unknown)
            : null;

    /// <summary>Where block.c records which root an extroot layer belongs to.</summary>
    public const string OpenWrtRecordPath = "etc/.extroot-uuid";

    /// <summary>Whether the upper layer holds anything yet (a layer with files but no record predates records).</summary>
    public static bool LayerInUse(string upper) =>
        Directory.Exists(upper) && Directory.EnumerateFileSystemEntries(upper).Any();

    /// <summary>Writes the record whole or not at all (a temporary file renamed over it), flushed to the stick.</summary>
    public static void Write(string layer, SystemIdentity identity)
    {
        var file = RecordFile(layer);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".new";
        using (var stream = RegularFile.CreateNew(temporary))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(identity.Format($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}")));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>At most 4 KiB of a regular file; null when it is missing or anything else (a FIFO on a stick would
    /// block the boot; such a record counts as none, and is replaced when the stick is used).</summary>
    private static string? ReadSmall(string path)
    {
        try { return RegularFile.ReadCapped(path, MaxRecordBytes) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
