// The Live CD's initramfs with files added, for a VM test that needs them in the root (a package's
// hook file, a /sysupgrade.tgz): the kernel unpacks concatenated cpio archives one after the other.
namespace Preinit.Tests.Support;

public sealed class ExtraInitramfs : IDisposable
{
    public string Path { get; }

    /// <param name="files">Path in the root (no leading slash) and content; mode 0755.</param>
    public ExtraInitramfs(params (string Path, byte[] Content)[] files)
    {
        var dir = Directory.CreateTempSubdirectory("preinit-extra.").FullName;
        try
        {
            foreach (var (path, content) in files)
            {
                var full = System.IO.Path.Combine(dir, path);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, content);
                File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
            }
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"preinit-initramfs-{Guid.NewGuid():N}.gz");
            var extra = Path + ".extra";
            Tools.Run("sh", "-c", $"cd '{dir}' && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet | gzip -1 > '{extra}'");
            Tools.Run("sh", "-c", $"cat '{Paths.Initramfs}' '{extra}' > '{Path}' && rm '{extra}'");
        }
        finally { Directory.Delete(dir, true); }
    }

    public void Dispose() => File.Delete(Path);
}
