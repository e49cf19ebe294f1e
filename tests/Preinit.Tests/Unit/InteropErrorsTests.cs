// A failed file operation throws what the runtime's own file APIs throw for its errno, with the call,
// its arguments and errno's name in the message; a kernel operation always throws SystemCallException.
using Preinit.Interop;
using Xunit;

namespace Preinit.Tests.Unit;

public class InteropErrorsTests
{
    private const string Missing = "/nonexistent-preinit-test/entry";

    [Fact]
    public void MissingFile_IsFileNotFoundException_NamingTheCall()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Libc.Stat(Missing));
        Assert.Equal($"statx(\"{Missing}\"): No such file or directory (ENOENT)", e.Message);
        Assert.Equal(Errno.ENOENT, e.HResult);
    }

    [Fact]
    public void MissingDirectory_OfADirectoryCall_IsDirectoryNotFoundException()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => Libc.Mkdir(Missing, 0x1ed));
        Assert.Contains($"mkdir(\"{Missing}\", 0755)", e.Message);
    }

    [Fact]
    public void NotPermitted_IsUnauthorizedAccessException()
    {
        // link(2) answers EPERM for a directory, even to root.
        var directory = Directory.CreateTempSubdirectory("preinit-errno-").FullName;
        try
        {
            var e = Assert.Throws<UnauthorizedAccessException>(() => Libc.Link(directory, directory + "-link"));
            Assert.EndsWith("(EPERM)", e.Message);
            Assert.Equal(Errno.EPERM, e.HResult);
        }
        finally { Directory.Delete(directory); }
    }

    [Fact]
    public void OtherErrno_IsSystemCallException_WithItsErrno()
    {
        var e = Assert.Throws<SystemCallException>(() => Libc.Mkdir("/", 0x1ed));
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Equal("mkdir(\"/\", 0755)", e.Call);
    }

    [Fact]
    public void KernelOperation_KeepsSystemCallException_WhateverTheErrno()
    {
        // swapon's ENOENT (as root) or EPERM (as anyone else) is about swap, not about a file.
        var e = Assert.Throws<SystemCallException>(() => Libc.Swapon(Missing, 0));
        Assert.Contains(e.Errno, new[] { Errno.ENOENT, Errno.EPERM });
    }
}
