// StickSpace of a mounted filesystem, from statfs(2).
using Preinit.Core.Extroot;
using Preinit.Interop;

namespace Preinit.Boot.Extroot;

public static class StickSpaceMeter
{
    public static StickSpace Measure(string mountPoint)
    {
        var s = Libc.Statfs(mountPoint);
        return new StickSpace((long)Math.Min(s.f_bfree * (ulong)s.f_bsize, long.MaxValue), (long)s.f_ffree, (long)s.f_files);
    }
}
