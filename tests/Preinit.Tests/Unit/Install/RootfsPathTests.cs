// Paths inside a rootfs resolve as after chroot: absolute links start again at the rootfs, ".."
// stops at it, so nothing resolves to the host's own directories.
using Preinit.Boot.Install;
using Preinit.Interop;
using Preinit.Tests.Unit.Ext2;
using Xunit;

namespace Preinit.Tests.Unit.Install;

public sealed class RootfsPathTests : IDisposable
{
    private readonly TempDir _dir = new();

    public RootfsPathTests()
    {
        Directory.CreateDirectory(_dir.File("usr/lib/x86_64-linux-gnu"));
        Libc.Symlink("usr/lib", _dir.File("lib"));
        Libc.Symlink("/usr/lib64", _dir.File("lib64"));
        Libc.Symlink("../../../..", _dir.File("usr/lib/up"));
        Libc.Symlink("loop2", _dir.File("loop1"));
        Libc.Symlink("loop1", _dir.File("loop2"));
        Libc.Symlink("/etc/passwd", _dir.File("usr/lib/passwd"));
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("lib/x86_64-linux-gnu/libc.so.6", true, "usr/lib/x86_64-linux-gnu/libc.so.6")]
    [InlineData("lib64/ld-linux-x86-64.so.2", true, "usr/lib64/ld-linux-x86-64.so.2")]
    [InlineData("lib", true, "usr/lib")]
    [InlineData("lib", false, "lib")]
    [InlineData("lib/passwd", true, "etc/passwd")]
    [InlineData("lib/passwd", false, "usr/lib/passwd")]
    [InlineData("lib/up/etc/shadow", true, "etc/shadow")]
    [InlineData("../../etc", true, "etc")]
    [InlineData("sbin/preinit", true, "sbin/preinit")]
    [InlineData("", true, "")]
    public void Resolve_FollowsLinksInsideTheRootfsOnly(string path, bool followLast, string expected) =>
        Assert.Equal(expected, RootfsPath.Resolve(_dir.Path, path, followLast));

    [Fact]
    public void Resolve_LinkLoop_SaysSo()
    {
        var e = Assert.Throws<InstallException>(() => RootfsPath.Resolve(_dir.Path, "loop1/x", followLast: true));
        Assert.Contains("more than 40 symbolic links in a row", e.Message);
    }
}
