// The boot menu table both loaders are written from: the shipped table parses, each entry's command
// line is the consoles, then what mklive --append gives, then its own words, and a table either
// loader would trip over is refused with its line.
using Preinit.Boot.Install;
using Preinit.Core.Live;
using Xunit;

namespace Preinit.Tests.Unit.Live;

public class BootMenuTableTests
{
    [Fact]
    public void ShippedTable_HasTheFiveEntries_AndBothMenusCarryEachCommandLine()
    {
        var menu = BootMenu.Parse(DefaultFiles.BootMenu);

        Assert.Equal(["live", "failsafe", "ram", "verbose", "shell"], menu.Entries.Select(e => e.Name));
        var isolinux = menu.Isolinux("title", "quiet");
        var grub = menu.Grub("quiet");
        foreach (var entry in menu.Entries)
        {
            var line = BootMenu.CommandLine(entry, "quiet");
            Assert.StartsWith("console=tty0 console=ttyS0,115200 quiet", line);
            Assert.EndsWith(entry.Arguments, line);
            Assert.Contains($"APPEND initrd=/boot/initramfs.gz {line}\n", isolinux);
            Assert.Contains($"    linux /boot/vmlinuz {line}\n", grub);
        }
        Assert.Equal("console=tty0 console=ttyS0,115200 failsafe=1", BootMenu.CommandLine(menu.Entries[1], ""));
    }

    [Theory]
    [InlineData("live | Live | x", "boot menu line 1: title 'Live' needs one ^ before its hotkey letter")]
    [InlineData("a | ^Apple |\nb | ^apricot |", "boot menu line 2: hotkey 'a' is taken")]
    [InlineData("# comment\nedit | ^Edit |", "boot menu line 2: hotkey 'e' is GRUB's own key")]
    [InlineData("Live | ^Live |", "boot menu line 1: name 'Live' is not [a-z0-9_-]+")]
    [InlineData("live | ^Live | init=\"x\"", "boot menu line 1: no quotes or backslashes, please")]
    [InlineData("live | ^Live", "boot menu line 1: needs three fields separated by '|': name | title | arguments")]
    [InlineData("# only comments\n", "the boot menu has no entries")]
    public void BadTable_IsRefusedWithItsLine(string table, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => BootMenu.Parse(table)).Message);
}
