using Preinit.Core.Modules;
using Xunit;

namespace Preinit.Tests.Unit.Devices;

public class ModaliasTests
{
    [Theory]
    [InlineData("usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*", "usb:v46F4p0001d0000dc00dsc00dp00ic08isc06ip50in00", true)]
    [InlineData("usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*", "usb:v46F4p0001d0000dc00dsc00dp00ic03isc01ip01in00", false)]
    [InlineData("pci:v*d*sv*sd*bc0Csc03i30*", "pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30", true)]
    [InlineData("scsi:t-0x0[07]*", "scsi:t-0x00", true)]
    [InlineData("scsi:t-0x0[07]*", "scsi:t-0x05", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a[!b]c", "abc", false)]
    [InlineData("a[a-c]c", "abc", true)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c*d", "axxbxxcxxd", true)]
    [InlineData("a*b*c*d", "axxbxxcxx", false)]
    public void IsMatch_BehavesLikeFnmatch(string pattern, string text, bool expected) =>
        Assert.Equal(expected, AliasPattern.IsMatch(pattern, text));

    /// <summary>40 stars that cannot match 5,000 characters: the matcher's backtracking takes at most pattern times text
    /// steps (about a millisecond), where a recursive one would take longer than the universe has existed. The bound is
    /// thousands of times the expected time, so a busy machine cannot fail it, and a runaway matcher fails instead of hanging.</summary>
    [Fact]
    public async Task IsMatch_ManyStarsThatCannotMatch_EndsWithinItsBound()
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", 40)) + "b";
        var match = Task.Run(() => AliasPattern.IsMatch(pattern, new string('a', 5000)));

        Assert.True(await Task.WhenAny(match, Task.Delay(TimeSpan.FromSeconds(10))) == match,
            "matching 40 stars against 5,000 characters took more than 10 s");
        Assert.False(await match);
    }

    [Fact]
    public void ModulesFor_FindsEveryModuleForAModaliasOnce()
    {
        var index = ModuleIndex.Parse("kernel/usb-storage.ko:\nkernel/uas.ko:\nkernel/xhci-pci.ko:\n", alias: """
            alias usb:v*p*d*dc*dsc*dp*ic08isc06ip50in* usb_storage
            alias usb:v*p*d*dc*dsc*dp*ic08isc06ip62in* uas
            alias usb:v*p*d*dc*dsc*dp*ic08isc06ip50in* usb_storage
            alias pci:v*d*sv*sd*bc0Csc03i30* xhci_pci
            """);
        Assert.Equal(["usb_storage"], index.ModulesFor("usb:v46F4p0001d0000dc00dsc00dp00ic08isc06ip50in00"));
        Assert.Equal(["xhci_pci"], index.ModulesFor("pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30"));
        Assert.Empty(index.ModulesFor("acpi:PNP0303:"));
    }
}
