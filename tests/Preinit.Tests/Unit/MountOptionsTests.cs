// fstab's `options` split into mount(2) flags and the filesystem's own data, compared with OpenWrt's
// block.c parse_mount_options: the same flags for the words it knows as flags (mand and nomand
// included), the words it passes on passed on, and the differences the README lists on purpose.
using Preinit.Core.Configuration;
using Preinit.Interop;
using Xunit;

namespace Preinit.Tests.Unit;

public class MountOptionsTests
{
    [Theory]
    [InlineData("rw,sync,noatime", Libc.MS_SYNCHRONOUS | Libc.MS_NOATIME, null)]
    [InlineData("ro,nosuid,nodev,noexec", Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, null)]
    [InlineData("mand", 64ul, null)]
    [InlineData("mand,nomand", 0ul, null)]
    [InlineData("sync,async,relatime", Libc.MS_RELATIME, null)]
    [InlineData("errors=remount-ro,commit=30", 0ul, "errors=remount-ro,commit=30")]
    [InlineData("acl,user_xattr", 0ul, "acl,user_xattr")]
    [InlineData("defaults,noauto,nofail", 0ul, null)]
    public void Parse_FlagsAndData_AsBlockCExceptWhereTheReadmeSaysWhy(string options, ulong flags, string? data)
    {
        var parsed = MountOptions.Parse(options);
        Assert.Equal((flags, data), (parsed.Flags, parsed.Data));
    }
}
