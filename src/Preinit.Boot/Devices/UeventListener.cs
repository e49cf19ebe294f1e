// Listens to kernel uevents (netlink), so waiting for a device returns the moment it appears.
using Preinit.Core.Devices;
using Preinit.Interop;

namespace Preinit.Boot.Devices;

public sealed class UeventListener : IDisposable
{
    private readonly int _fd = Libc.OpenUeventSocket();
    private readonly byte[] _buffer = new byte[16384];

    /// <summary>The next uevent, or null when none arrives within <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: wait for one however long it takes).</summary>
    public Uevent? Next(TimeSpan timeout)
    {
        // poll(2) waits forever for -1; a negative timeout must not become 0, which would make the caller spin.
        var ms = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        while (Libc.PollIn(_fd, ms))
        {
            var n = Libc.Recv(_fd, _buffer);
            if (Uevent.TryParse(_buffer.AsSpan(0, n)) is { } e) return e;
            ms = 0; // something that was not a uevent: see whether more is queued, without waiting again
        }
        return null;
    }

    public void Dispose() => Libc.Close(_fd);
}
