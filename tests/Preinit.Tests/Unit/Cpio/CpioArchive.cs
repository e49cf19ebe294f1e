// The cpio tests' referees: GNU cpio reads our archives back (cpio -t lists, cpio -i extracts), and a
// small reader walks an archive's entries with the product's own field table to look at the raw
// header fields (inode numbers, link counts, which name of a hard link carries the data).
using System.Text;
using Preinit.Core.Cpio;
using Preinit.Core.Ext2;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Cpio;

public sealed record CpioEntry(CpioHeader Header, string Name, byte[] Data);

public static class CpioArchive
{
    /// <summary>Writes <paramref name="entries"/> to a file in <paramref name="dir"/> and returns its path.</summary>
    public static string Write(TempDir dir, IEnumerable<Ext2TreeEntry> entries, CpioWriteOptions? options = null)
    {
        var path = dir.File($"archive-{Guid.NewGuid():N}.cpio");
        using var output = File.Create(path);
        CpioWriter.Write(new Ext2EntryList(entries), output, options);
        return path;
    }

    /// <summary>Every entry up to and with the trailer; fails on anything that is not newc laid out as the format says.</summary>
    public static List<CpioEntry> Read(byte[] archive)
    {
        var entries = new List<CpioEntry>();
        var at = 0;
        while (true)
        {
            Assert.True(CpioHeader.TryRead(archive.AsSpan(at), out var header), $"no newc header at offset {at}");
            var name = Encoding.UTF8.GetString(archive, at + CpioNewc.HeaderSize, (int)header.NameSize - 1);
            Assert.Equal(0, archive[at + CpioNewc.HeaderSize + (int)header.NameSize - 1]);
            at += CpioNewc.HeaderSize + (int)header.NameSize;
            at += CpioNewc.Padding(at);
            var data = archive.AsSpan(at, (int)header.FileSize).ToArray();
            at += (int)header.FileSize;
            at += CpioNewc.Padding(at);
            entries.Add(new CpioEntry(header, name, data));
            if (name == CpioNewc.TrailerName)
            {
                // GNU cpio fills the last 512-byte block with zeros; the kernel skips zeros between archives too.
                Assert.True(archive.AsSpan(at).IndexOfAnyExcept((byte)0) < 0, $"bytes after the trailer at offset {at}");
                return entries;
            }
        }
    }

    /// <summary>GNU cpio's listing: names only, or with <paramref name="verbose"/> ls -l lines with numeric owners.</summary>
    public static string[] List(string archive, bool verbose = false) =>
        Tools.Run("cpio", [verbose ? "-itvn" : "-it", "--quiet", "-F", archive])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>GNU cpio extracts the archive into <paramref name="into"/>, keeping modification times.</summary>
    public static void Extract(string archive, string into)
    {
        Directory.CreateDirectory(into);
        Tools.Run("cpio", "-idm", "--quiet", "-F", archive, "-D", into);
    }
}
