// Attaches a file to a free loop device: LOOP_CTL_GET_FREE on /dev/loop-control, then
// LOOP_CONFIGURE (one call, Linux 5.8+) or LOOP_SET_FD + LOOP_SET_STATUS64 on older kernels
// (see loop(4)). Creates /dev/loopN with mknod when no devtmpfs made it.
using Preinit.Interop;

namespace Preinit.Boot.Image;

public sealed class LoopDevice : IDisposable
{
    public const uint LoopMajor = 7;
    private const int MaxBusyRetries = 8;

    private int _fd;

    public string Path { get; }
    public int Number { get; }

    private LoopDevice(string path, int number, int fd)
    {
        Path = path;
        Number = number;
        _fd = fd;
    }

    public static LoopDevice Attach(string file, bool readOnly = false, string devDirectory = "/dev")
    {
        for (var attempt = 0; ; attempt++)
        {
            var number = FreeNumber(devDirectory);
            var path = $"{devDirectory}/loop{number}";
            if (!File.Exists(path)) Libc.Mknod(path, Libc.S_IFBLK | 0b110_110_000, Libc.MakeDev(LoopMajor, (uint)number));

            var loopFd = Libc.Open(path, (readOnly ? Libc.O_RDONLY : Libc.O_RDWR) | Libc.O_CLOEXEC);
            var fileFd = Libc.Open(file, (readOnly ? Libc.O_RDONLY : Libc.O_RDWR) | Libc.O_CLOEXEC);
            try
            {
                var errno = Configure(loopFd, fileFd, file, readOnly);
                if (errno == 0) return new LoopDevice(path, number, loopFd);
                Libc.Close(loopFd);
                // Another process took the device between GET_FREE and our call: ask again.
                if (errno == Errno.EBUSY && attempt < MaxBusyRetries) continue;
                throw new SystemCallException($"attach \"{file}\" to {path} (LOOP_CONFIGURE / LOOP_SET_FD)", errno);
            }
            finally { Libc.Close(fileFd); }
        }
    }

    private static int FreeNumber(string devDirectory)
    {
        var control = $"{devDirectory}/loop-control";
        if (!File.Exists(control)) Libc.Mknod(control, Libc.S_IFCHR | 0b110_110_000, Libc.MakeDev(10, 237));
        var fd = Libc.Open(control, Libc.O_RDWR | Libc.O_CLOEXEC);
        try { return Libc.Ioctl(fd, Libc.LOOP_CTL_GET_FREE, 0); }
        finally { Libc.Close(fd); }
    }

    /// <summary>Returns 0 or the errno of the attaching call.</summary>
    private static unsafe int Configure(int loopFd, int fileFd, string file, bool readOnly)
    {
        var info = new loop_info64 { lo_flags = readOnly ? Libc.LO_FLAGS_READ_ONLY : 0 };
        var name = global::System.Text.Encoding.UTF8.GetBytes(file);
        var length = Math.Min(name.Length, Libc.LO_NAME_SIZE - 1);
        for (var i = 0; i < length; i++) info.lo_file_name[i] = name[i];

        var config = new loop_config { fd = (uint)fileFd, info = info };
        var errno = Libc.TryIoctl(loopFd, Libc.LOOP_CONFIGURE, ref config);
        if (errno is not (Errno.EINVAL or Errno.ENOTTY)) return errno;

        // Kernels before 5.8 do not know LOOP_CONFIGURE.
        errno = Libc.TryIoctl(loopFd, Libc.LOOP_SET_FD, fileFd);
        if (errno != 0) return errno;
        errno = Libc.TryIoctl(loopFd, Libc.LOOP_SET_STATUS64, ref info);
        if (errno != 0) Libc.TryIoctl(loopFd, Libc.LOOP_CLR_FD, 0);
        return errno;
    }

    public void Detach()
    {
        if (_fd < 0) return;
        Libc.Ioctl(_fd, Libc.LOOP_CLR_FD, 0);
        Libc.Close(_fd);
        _fd = -1;
    }

    /// <summary>Closes our handle without detaching: the device keeps the file alive (the root image).</summary>
    public void Release()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }

    public void Dispose() => Detach();
}
