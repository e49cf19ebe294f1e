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

    [Fact]
    public void IsMatch_ManyStars_StaysFast()
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", 40)) + "b";
        Assert.False(AliasPattern.IsMatch(pattern, new string('a', 5000)));
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
