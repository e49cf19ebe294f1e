// A reason `preinit install` cannot go on, in words that name the path and the fix; the verb
// prints it as "Error: ..." and exits 1.
using Preinit.Interop;

namespace Preinit.Boot.Install;

public sealed class InstallException(string message) : Exception(message)
{
    /// <summary>A failed system call, with the fix for the usual causes added.</summary>
    public static InstallException Explain(Exception e, string root, string? undo)
    {
        // SystemCallException carries errno; .NET's own IOException carries it as HResult on Linux.
        var errno = e switch
        {
            SystemCallException call => call.Errno,
            UnauthorizedAccessException => Errno.EACCES,
            _ => e.HResult,
        };
        var fix = errno switch
        {
            Errno.EROFS => $"{root} is on a read-only filesystem: remount it read-write (mount -o remount,rw) or install into a copy",
            Errno.EACCES or Errno.EPERM => $"permission denied: run as root, or as the owner of {root}",
            Errno.ENOSPC => $"no space left: free some on the filesystem of {root}",
            _ => null,
        };
        return new InstallException(e.Message + (fix is null ? "" : $": {fix}") + (undo is null ? "" : $"; {undo}"));
    }
}
