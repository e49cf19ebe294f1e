// mklive's first step: the user's rootfs, given as a directory or as a .tar.gz (as OpenWrt's and most
// distributions' rootfs archives are), copied into a staging directory that mklive may change; the
// original is never written. What comes out must look like a rootfs: an init to hand over to.
using System.Formats.Tar;
using System.IO.Compression;
using Preinit.Boot.Ext2;
using Preinit.Boot.Image;
using Preinit.Boot.Restore;
using Preinit.Interop;

namespace Preinit.Boot.Live;

public static class RootfsStaging
{
    public const string Init = "sbin/init";

    /// <exception cref="LiveImageException">The source is missing, unreadable, or not a rootfs.</exception>
    public static void Stage(string source, string staging, Action<string> report)
    {
        Directory.CreateDirectory(staging);
        if (Directory.Exists(source))
        {
            if (!HasInit(source))
                throw new LiveImageException($"{source} has no /{Init}: it is not a rootfs (or its init is elsewhere; " +
                    $"a Live image hands over to /{Init})");
            report($"copying {source}");
            TreeCopier.Copy(new Ext2DirectoryTree(Ext2DirectoryTree.ResolveRoot(source), []), staging);
        }
        else if (File.Exists(source))
        {
            report($"unpacking {source}");
            Extract(source, staging, report);
            if (!HasInit(staging))
                throw new LiveImageException($"{source} holds no /{Init}: it is not a rootfs tarball (is it a sysupgrade backup, " +
                    "or a tarball of one directory?)");
        }
        else throw new LiveImageException($"{source}: no such directory or file; give a rootfs directory or a .tar.gz of one");
    }

    /// <summary>/sbin/init is there, as a file or a link (busybox's is a link, which may be absolute: it is not followed).</summary>
    private static bool HasInit(string root) => Libc.TryLstat(Path.Combine(root, Init), out _);

    private static void Extract(string archive, string staging, Action<string> report)
    {
        var restorer = new TarEntryRestorer(staging, report);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry) restorer.Restore(entry);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new LiveImageException($"{archive} is not a readable .tar.gz ({e.Message}); give a rootfs directory or a .tar.gz of one");
        }
        finally { restorer.Finish(); }
        if (restorer.Problems.Count > 0)
            report($"warning: {restorer.Problems.Count} member(s) of {archive} not unpacked (listed above)");
    }
}

/// <summary>Why mklive cannot make the image, naming the thing and the fix.</summary>
public sealed class LiveImageException(string message) : Exception(message);
