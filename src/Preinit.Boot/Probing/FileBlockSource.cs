// A block device or image file opened read-only for the probers. Never writes: the handle is opened
// FileAccess.Read, so a probe cannot change the stick it is looking at.
using Microsoft.Win32.SafeHandles;
using Preinit.Core.Probing;
using Preinit.Interop;

namespace Preinit.Boot.Probing;

public sealed class FileBlockSource : IBlockSource, IDisposable
{
    private readonly SafeFileHandle handle;

    private FileBlockSource(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        this.handle = handle;
        Length = length;
    }

    public string Path { get; }
    public long Length { get; }

    /// <summary>Opens path read-only. The length of a regular file comes from its size; a block device has
    /// size 0 in stat, so its length comes from the BLKGETSIZE64 ioctl.</summary>
    public static FileBlockSource Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var opened = false;
        try
        {
            // .NET reports 0 for a block device (stat's st_size), through RandomAccess.GetLength and
            // FileStream.Length and Seek(0, End) alike; the kernel tells the real size.
            var length = RandomAccess.GetLength(handle);
            if (length == 0) length = DeviceLength(handle) ?? 0;
            var source = new FileBlockSource(path, handle, length);
            opened = true;
            return source;
        }
        finally
        {
            if (!opened) handle.Dispose();
        }
    }

    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length) return 0;
        buffer = buffer[..(int)Math.Min(buffer.Length, Length - offset)];
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n <= 0) break;
            done += n;
        }
        return done;
    }

    public void Dispose() => handle.Dispose();

    private static long? DeviceLength(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            ulong size = 0;
            // ENOTTY on anything that is not a block device (an empty regular file): length 0.
            return Libc.TryIoctl((int)handle.DangerousGetHandle(), Libc.BLKGETSIZE64, ref size) == 0 && size <= long.MaxValue ? (long)size
                : null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }
}
