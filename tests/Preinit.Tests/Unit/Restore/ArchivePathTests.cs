// Which path below the root an archive member names, and which names are refused.
using Preinit.Core.Restore;
using Xunit;

namespace Preinit.Tests.Unit.Restore;

public class ArchivePathTests
{
    [Theory]
    [InlineData("etc/config/network", "etc/config/network")]
    [InlineData("./etc/config/network", "etc/config/network")]
    [InlineData("/etc/config/network", "etc/config/network")]
    [InlineData("//etc//config/./network/", "etc/config/network")]
    [InlineData("etc/config/", "etc/config")]
    [InlineData("./", "")]
    [InlineData("/", "")]
    [InlineData(".", "")]
    [InlineData("etc/..hidden", "etc/..hidden")]
    [InlineData("...", "...")]
    [InlineData("etc/a..b", "etc/a..b")]
    [InlineData("etc/back\\slash", "etc/back\\slash")]
    [InlineData("etc/ü ñ", "etc/ü ñ")]
    public void TryResolve_NameBelowRoot_GivesTheRelativePath(string name, string expected)
    {
        Assert.True(ArchivePath.TryResolve(name, out var relative, out var problem), problem);
        Assert.Equal(expected, relative);
    }

    [Theory]
    [InlineData("", "no name")]
    [InlineData("..", "'..'")]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("./../etc/passwd", "'..'")]
    [InlineData("/../etc/passwd", "'..'")]
    [InlineData("etc/../../passwd", "'..'")]
    [InlineData("etc/config/..", "'..'")]
    [InlineData("etc/../etc/passwd", "'..'")]
    [InlineData("etc/pa\0sswd", "NUL")]
    public void TryResolve_UnsafeName_IsRefusedWithTheReason(string name, string reason)
    {
        Assert.False(ArchivePath.TryResolve(name, out _, out var problem));
        Assert.Contains(reason, problem);
    }
}
