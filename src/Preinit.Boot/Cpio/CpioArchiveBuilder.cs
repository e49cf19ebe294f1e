// A real directory packed into an initramfs archive file with the pure newc writer, walked by the
// same directory source as mkimage (getdents64 and statx, one directory at a time): no cpio or gzip
// program. A name ending in ".gz" is gzip-compressed. The archive is written under a temporary name
// beside it and renamed when complete, so a failed write leaves any earlier archive as it was.
using Preinit.Boot.Ext2;
using Preinit.Core.Cpio;
using Preinit.Core.Ext2;

namespace Preinit.Boot.Cpio;

public static class CpioArchiveBuilder
{
    /// <param name="archivePath">The file to write; compressed when its name ends in ".gz" (a .cpio.gz).</param>
    /// <param name="exclude">Absolute paths left out with everything below them; the archive itself always is.</param>
    /// <exception cref="IOException">Unreadable or changing files, or names the kernel cannot unpack, with their full path.</exception>
    public static CpioWriteResult Write(string sourceDir, string archivePath, CpioWriteOptions? options = null,
        IReadOnlyCollection<string>? exclude = null)
    {
        var root = Ext2DirectoryTree.ResolveRoot(sourceDir);
        var archive = Path.GetFullPath(archivePath);
        var temporary = archive + ".tmp";
        var source = new Ext2DirectoryTree(root, [archive, temporary, .. exclude ?? []]);
        CpioWriteResult written;
        var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
        try
        {
            using (output)
                written = archive.EndsWith(".gz", StringComparison.Ordinal)
                    ? CpioWriter.WriteGzip(source, output, options)
                    : CpioWriter.Write(source, output, options);
        }
        catch (Exception e)
        {
            File.Delete(temporary);
            if (e is Ext2TreeException named) throw source.Named(named);
            throw;
        }
        File.Move(temporary, archive, overwrite: true);
        return written;
    }
}
