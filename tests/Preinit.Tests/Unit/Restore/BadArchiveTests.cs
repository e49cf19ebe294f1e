// Archives that fail in ways other than a short read: sparse members and PAX values out of range.
// Whatever the failure, the archive is set aside as NAME.failed, never left to fail again at every
// boot, and a sparse member is refused by its real name, never restored as GNUSparseFile.N/NAME.
using Preinit.Boot.Restore;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Restore;

public sealed class BadArchiveTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _log = [];

    public void Dispose() => _dir.Dispose();

    private string Root => Directory.CreateDirectory(_dir.File("root")).FullName;

    private RestoreResult Restore(string archive)
    {
        var result = SysupgradeArchive.Restore(archive, Root, _log.Add);
        Assert.False(File.Exists(archive), "the archive is still in place: the next boot would try it again");
        Assert.True(File.Exists(archive + SysupgradeArchive.FailedSuffix));
        return result;
    }

    [Theory]
    [InlineData("posix")]
    [InlineData("gnu")]
    public void SparseMember_IsRefusedByName_AndTheArchiveSetAside(string format)
    {
        Tier.Require(Tier.Which("tar") is null ? "tar not installed" : null);
        var source = Directory.CreateDirectory(_dir.File("source")).FullName;
        Directory.CreateDirectory(Path.Combine(source, "etc"));
        using (var f = File.Create(Path.Combine(source, "etc", "sparse"))) { f.Position = 4 << 20; f.WriteByte(1); }
        File.WriteAllText(Path.Combine(source, "etc", "plain"), "plain\n");
        var archive = _dir.File("sysupgrade.tgz");
        Tools.Run("tar", "--sparse", $"--format={format}", "-czf", archive, "-C", source, "etc");

        var result = Restore(archive);

        Assert.False(result.Complete);
        // A POSIX sparse member is named; .NET's reader refuses a GNU one before its name is known: its neighbour is named.
        Assert.True(result.Problems.Any(p => p.Contains(format == "posix" ? "etc/sparse: a sparse file" : "a GNU sparse file")),
            string.Join("\n", _log));
        Assert.True(format != "posix" || File.ReadAllText(Path.Combine(Root, "etc", "plain")) == "plain\n", string.Join("\n", _log));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root, "GNUSparseFile*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("mtime", "99999999999999999999999")]
    [InlineData("uid", "99999999999999999999999")]
    public void PaxValueOutOfRange_SetsTheArchiveAside(string key, string value)
    {
        var archive = _dir.File("sysupgrade.tgz");
        File.WriteAllBytes(archive, TarGz.Gzip(RawTar.PaxFile("etc/x", "x\n", (key, value))));

        var result = Restore(archive);

        Assert.False(result.Complete);
        Assert.NotEmpty(result.Problems);
    }
}

/// <summary>A tar archive written byte by byte (POSIX.1-2001 ustar headers), for PAX records that .NET's TarWriter
/// would check or rewrite: a PAX header with the given records, then a regular file.</summary>
internal static class RawTar
{
    public static byte[] PaxFile(string name, string content, params (string Key, string Value)[] records)
    {
        var pax = new System.Text.StringBuilder();
        foreach (var (key, value) in records)
        {
            // "LENGTH key=value\n", where LENGTH counts itself.
            var body = $" {key}={value}\n";
            var length = body.Length + 1;
            while ((length.ToString().Length + body.Length) != length) length++;
            pax.Append(length).Append(body);
        }
        var paxData = System.Text.Encoding.ASCII.GetBytes(pax.ToString());
        var data = System.Text.Encoding.ASCII.GetBytes(content);
        using var tar = new MemoryStream();
        Member(tar, "PaxHeaders/" + name, 'x', paxData);
        Member(tar, name, '0', data);
        tar.Write(new byte[1024]);
        return tar.ToArray();
    }

    private static void Member(Stream tar, string name, char type, byte[] data)
    {
        var h = new byte[512];
        void Put(int offset, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(h, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(data.Length, 8).PadLeft(11, '0') + "\0");
        Put(136, "13000000000\0");
        Put(148, "        ");
        h[156] = (byte)type;
        Put(257, "ustar\0");
        Put(263, "00");
        var sum = 0;
        foreach (var b in h) sum += b;
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        tar.Write(h);
        tar.Write(data);
        tar.Write(new byte[(512 - data.Length % 512) % 512]);
    }
}
