// Opening a file that the stick or an archive controls (the identity record, /sysupgrade.tgz, the
// urandom seed): a FIFO blocks an open or a read forever, a symlink can lead to /dev/zero, a device
// node reads without end. Only a regular file, reached without following a final symlink, is
// opened, and small files are read with a cap.
using Microsoft.Win32.SafeHandles;
using Preinit.Interop;

namespace Preinit.Boot.Platform;

public static class RegularFile
{
    /// <exception cref="IOException">The path is missing, a symlink, or not a regular file; the message says which.</exception>
    public static FileStream OpenRead(string path)
    {
        int fd;
        // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; on a regular file it changes nothing.
        try { fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC); }
        catch (SystemCallException e) when (e.Errno == Errno.ELOOP)
        {
            throw new IOException($"{path} is a symbolic link, not a regular file: not read");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var kind = Libc.Fstat(fd).stx_mode & Libc.S_IFMT;
        if (kind != Libc.S_IFREG)
        {
            handle.Dispose();
            throw new IOException($"{path} is {FileKind.Describe(kind)}, not a regular file: not read");
        }
        return new FileStream(handle, FileAccess.Read);
    }

    /// <summary>At most <paramref name="maxBytes"/> of a regular file; null when it is missing.</summary>
    public static byte[]? ReadCapped(string path, int maxBytes)
    {
        if (!Libc.TryLstat(path, out _)) return null;
        using var stream = OpenRead(path);
        var buffer = new byte[maxBytes];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer[..length];
    }

    /// <summary>Creates <paramref name="path"/> anew for writing: whatever is there (a FIFO, a symlink) is removed
    /// first, and O_EXCL makes sure the file opened is the one just created.</summary>
    public static FileStream CreateNew(string path)
    {
        if (Libc.TryLstat(path, out _)) File.Delete(path);
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write);
    }
}
