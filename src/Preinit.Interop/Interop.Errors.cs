// errno handling shared by every wrapper: the call site checks, and the exception names the call,
// its arguments and the errno (dotnet/runtime's Interop.IOErrors pattern). A file operation's errno
// becomes the exception the runtime's own file APIs throw for it, so one kind of failure is caught
// as one kind of exception wherever it came from: ENOENT is FileNotFoundException (or
// DirectoryNotFoundException), EACCES and EPERM are UnauthorizedAccessException, the rest is
// SystemCallException. Kernel operations whose errno means something of their own (mount's EACCES
// is a write-protected device, finit_module's ENOENT a missing symbol, swapon's EPERM too many swap
// areas) always throw SystemCallException. Every one of them carries the errno as its HResult.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

/// <summary>A failed system call: which call, with which arguments, and the errno it returned.</summary>
public sealed class SystemCallException(string call, int errno) : IOException(Describe(call, errno), errno)
{
    public string Call { get; } = call;
    public int Errno { get; } = errno;

    /// <summary>The call with its arguments, the error in words and errno's
    /// name: `mkdir("/x", 0755): Permission denied (EACCES)`.</summary>
    public static string Describe(string call, int errno) => $"{call}: {Libc.StrError(errno)} ({Preinit.Interop.Errno.Name(errno)})";
}

/// <summary>errno values from asm-generic/errno-base.h and errno.h that callers act on.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
        EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EBUSY = 16, EEXIST = 17, EXDEV = 18,
        ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOSPC = 28, EROFS = 30, EMLINK = 31,
        ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOTTY = 25, ETXTBSY = 26,
        EOPNOTSUPP = 95, EADDRNOTAVAIL = 99, ENETDOWN = 100, ENETUNREACH = 101, ENOBUFS = 105, EFBIG = 27, ENOPKG = 65, EBADMSG = 74,
        ENOKEY = 126, EKEYREJECTED = 129, ERANGE = 34, ENODATA = 61;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", EINTR => "EINTR", EIO => "EIO", ENXIO => "ENXIO",
        E2BIG => "E2BIG", ENOEXEC => "ENOEXEC", EBADF => "EBADF", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EBUSY => "EBUSY", EEXIST => "EEXIST",
        EXDEV => "EXDEV", ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EISDIR => "EISDIR",
        EINVAL => "EINVAL", ENOSPC => "ENOSPC", EROFS => "EROFS", EMLINK => "EMLINK",
        ENAMETOOLONG => "ENAMETOOLONG", ENOSYS => "ENOSYS", ENOTEMPTY => "ENOTEMPTY",
        ELOOP => "ELOOP", ENOTTY => "ENOTTY", ETXTBSY => "ETXTBSY", EOPNOTSUPP => "EOPNOTSUPP", EADDRNOTAVAIL => "EADDRNOTAVAIL",
        ENETDOWN => "ENETDOWN", ENETUNREACH => "ENETUNREACH", ENOBUFS => "ENOBUFS", EFBIG => "EFBIG", ENOPKG => "ENOPKG",
        EBADMSG => "EBADMSG", ENOKEY => "ENOKEY", EKEYREJECTED => "EKEYREJECTED", ERANGE => "ERANGE", ENODATA => "ENODATA",
        _ => $"errno {errno}",
    };
}

public static partial class Libc
{
    internal const string Name = "libc";

    [LibraryImport(Name, EntryPoint = "strerror")]
    private static partial nint StrErrorRaw(int errnum);

    public static string StrError(int errno) =>
        Marshal.PtrToStringUTF8(StrErrorRaw(errno)) ?? $"errno {errno}";

    /// <summary>Throws for a -1 result; the message carries the call as written by <paramref name="call"/>.</summary>
    internal static int Check(int result, Func<string> call)
    {
        if (result == -1)
            throw new SystemCallException(call(), Marshal.GetLastPInvokeError());
        return result;
    }

    internal static long Check(long result, Func<string> call)
    {
        if (result == -1)
            throw new SystemCallException(call(), Marshal.GetLastPInvokeError());
        return result;
    }

    /// <summary>Throws for a -1 result of a file operation, as the runtime's file APIs would (see <see cref="FileError"/>).</summary>
    /// <param name="directory">The call names a directory: ENOENT is DirectoryNotFoundException.</param>
    internal static long CheckFile(long result, Func<string> call, bool directory = false)
    {
        if (result == -1)
            throw FileError(call(), Marshal.GetLastPInvokeError(), directory);
        return result;
    }

    /// <summary>A failed file operation as the runtime reports one (dotnet/runtime Interop.GetExceptionForIoErrno), with the
    /// call, its arguments and errno's name as the message and the errno as HResult.</summary>
    public static Exception FileError(string call, int errno, bool directory = false)
    {
        var message = SystemCallException.Describe(call, errno);
        return errno switch
        {
            Errno.ENOENT when directory => new DirectoryNotFoundException(message) { HResult = errno },
            Errno.ENOENT => new FileNotFoundException(message) { HResult = errno },
            Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException(message) { HResult = errno },
            _ => new SystemCallException(call, errno),
        };
    }

    /// <summary>Runs a call again while it fails with EINTR: there is no C shim to do it for us.</summary>
    internal static int Retry(Func<int> call)
    {
        int result;
        do result = call();
        while (result == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        return result;
    }

    internal static long Retry(Func<long> call)
    {
        long result;
        do result = call();
        while (result == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        return result;
    }

    internal static string Quote(string? s) => s is null ? "NULL" : "\"" + s + "\"";
}
