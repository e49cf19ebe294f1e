// Talking to terminals directly, as failsafe does on every active console: read(2) (ReadRaw, in
// Interop.Files.cs) and write(2) on a raw descriptor (non-blocking reads: EAGAIN means "nothing
// yet"), and poll(2) over several.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int O_NONBLOCK = 0x800;

    [LibraryImport(Name, EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteRaw(int fd, byte* buffer, nuint count);

    [LibraryImport(Name, EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int PollManyRaw(pollfd* fds, nuint count, int timeoutMs);

    /// <summary>What is there to read now: the byte count, 0 at end of file or when a non-blocking descriptor has nothing.</summary>
    public static unsafe int ReadAvailable(int fd, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            var ptr = b;
            var length = (nuint)buffer.Length;
            var n = Retry(() => (long)ReadRaw(fd, ptr, length));
            if (n >= 0) return (int)n;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN) return 0;
            throw new SystemCallException($"read({fd})", errno);
        }
    }

    public static unsafe void WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* b = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var ptr = b + done;
                var length = (nuint)(data.Length - done);
                done += (int)Check(Retry(() => (long)WriteRaw(fd, ptr, length)), () => $"write({fd})");
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for input on any of <paramref name="fds"/>; which ones have some.</summary>
    public static unsafe bool[] PollReadable(IReadOnlyList<int> fds, int timeoutMs)
    {
        var polls = new pollfd[fds.Count];
        for (var i = 0; i < polls.Length; i++) polls[i] = new pollfd { fd = fds[i], events = POLLIN };
        fixed (pollfd* p = polls)
        {
            var ptr = p;
            Check(Retry(() => PollManyRaw(ptr, (nuint)polls.Length, timeoutMs)), () => $"poll({polls.Length} fds, {timeoutMs} ms)");
        }
        var ready = new bool[polls.Length];
        for (var i = 0; i < polls.Length; i++) ready[i] = (polls[i].revents & POLLIN) != 0;
        return ready;
    }
}
