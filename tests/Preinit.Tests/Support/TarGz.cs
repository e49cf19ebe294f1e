// Builds the gzip'd tar archives the restore tests feed in, in memory with TarWriter, one call per
// member: any name (absolute, "./", "..") and any type, so the bad ones can be made on purpose.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Preinit.Tests.Support;

public static class TarGz
{
    public static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_300_000_000);

    public static byte[] Tar(params TarEntry[] entries)
    {
        var bytes = new MemoryStream();
        using (var writer = new TarWriter(bytes, leaveOpen: true))
            foreach (var entry in entries) writer.WriteEntry(entry);
        return bytes.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return bytes.ToArray();
    }

    /// <summary>The archive of <paramref name="entries"/> written to <paramref name="path"/>; returns the path.</summary>
    public static string Write(string path, params TarEntry[] entries)
    {
        File.WriteAllBytes(path, Gzip(Tar(entries)));
        return path;
    }

    public static GnuTarEntry RegularFile(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100, int uid = 0,
        int gid = 0) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = mode, Uid = uid, Gid = gid, ModificationTime = Time,
        };

    public static GnuTarEntry Dir(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101, int uid = 0, int gid = 0) =>
        new(TarEntryType.Directory, name) { Mode = mode, Uid = uid, Gid = gid, ModificationTime = Time };

    public static GnuTarEntry Symlink(string name, string target, int uid = 0, int gid = 0) =>
        new(TarEntryType.SymbolicLink, name) { LinkName = target, Uid = uid, Gid = gid, ModificationTime = Time };

    public static GnuTarEntry HardLink(string name, string target) =>
        new(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = Time };

    public static GnuTarEntry Node(TarEntryType type, string name, int major = 0, int minor = 0)
    {
        var entry = new GnuTarEntry(type, name) { Mode = (UnixFileMode)0b110_110_110, ModificationTime = Time };
        if (type != TarEntryType.Fifo) (entry.DeviceMajor, entry.DeviceMinor) = (major, minor);
        return entry;
    }
}
