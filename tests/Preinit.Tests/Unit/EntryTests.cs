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

    /// <summary>procd's init runs `/bin/sh /etc/preinit` with PREINIT=1; the script execs /sbin/preinit.</summary>
    [Theory]
    [InlineData("/sbin/preinit", 4242, new string[0], "1", Entry.BootRole.StageTwo)]
    [InlineData("/sbin/preinit", 4242, new string[0], "", Entry.BootRole.Verbs)]
    [InlineData("/sbin/preinit", 4242, new string[0], null, Entry.BootRole.Verbs)]
    [InlineData("/sbin/preinit", 4242, new[] { "plan" }, "1", Entry.BootRole.Verbs)]
    [InlineData("/init", 1, new string[0], "1", Entry.BootRole.StageOne)]
    public void Role_UnderProcdsInit_IsStageTwoOnlyWithPreinitSetAndNoArguments(string argv0, int pid, string[] args, string? preinit,
        Entry.BootRole expected) =>
        Assert.Equal(expected, Entry.Role(argv0, pid, args, preinit));
}
