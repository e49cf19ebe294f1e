using Preinit.Cli;
using Xunit;

namespace Preinit.Tests.Unit;

public class EntryTests
{
    [Theory]
    [InlineData("/init", 1, new string[0], Entry.BootRole.StageOne)]
    [InlineData("/etc/preinit", 1, new string[0], Entry.BootRole.StageTwo)]
    [InlineData("/sbin/preinit", 1, new string[0], Entry.BootRole.StageTwo)]
    [InlineData("/sbin/preinit", 4242, new string[0], Entry.BootRole.Verbs)]
    [InlineData("preinit", 4242, new[] { "plan" }, Entry.BootRole.Verbs)]
    [InlineData("/sbin/preinit", 1, new[] { "plan" }, Entry.BootRole.Verbs)]
    public void Role_FollowsTheNameItWasRunAs(string argv0, int pid, string[] args, Entry.BootRole expected) =>
        Assert.Equal(expected, Entry.Role(argv0, pid, args));
}
