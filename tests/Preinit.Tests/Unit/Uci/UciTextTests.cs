// `uci show PACKAGE.SECTION[.OPTION]`, `uci get` and `uci export` output, and the lookup of
// SECTION[.OPTION] with @type[N]; expectations from openwrt/uci cli.c, list.c and file.c at 66127cd,
// confirmed against that uci built from source outside the repository.
using Preinit.Core.Uci;
using Xunit;

namespace Preinit.Tests.Unit.Uci;

public class UciTextTests
{
    private const string Fstab =
        "config global\n\toption anon_swap 0\n\nconfig mount\n\toption target\t/storage\n\toption label\trootfs_data\n" +
        "\nconfig mount 'usb'\n\toption target '/mnt/usb'\n\tlist opts 'a b'\n\tlist opts c\n\nconfig swap\n\toption device /dev/sda2\n";

    private static UciPackage Package(string text = Fstab)
    {
        var result = UciParser.Parse(text, "fstab", "fstab");
        Assert.Empty(result.Problems);
        return result.Package;
    }

    [Theory]
    [InlineData("@mount[0].target", "/storage\n")]
    [InlineData("@mount[1].target", "/mnt/usb\n")]
    [InlineData("usb.target", "/mnt/usb\n")]
    [InlineData("@mount[-1].target", "/mnt/usb\n")]
    [InlineData("@mount[-2].label", "rootfs_data\n")]
    // @[N] counts sections of any type (list.c uci_lookup_ext_section with an empty type).
    [InlineData("@[0]", "global\n")]
    [InlineData("@[-1]", "swap\n")]
    // strtol: blanks and a sign before the number, an empty number is 0.
    [InlineData("@mount[ +1]", "mount\n")]
    [InlineData("@mount[]", "mount\n")]
    // The generated name of an anonymous section works like a name.
    [InlineData("cfg024d78.label", "rootfs_data\n")]
    [InlineData("@swap[0]", "swap\n")]
    // uci get joins list items with a space and quotes only those holding blanks (cli.c:232).
    [InlineData("usb.opts", "'a b' c\n")]
    public void Get_Found_PrintsLikeUciGet(string path, string expected)
    {
        var package = Package();
        var found = UciLookup.Resolve(package, path);
        Assert.Equal(UciLookupStatus.Found, found.Status);
        Assert.Equal(expected, found.Option is { } o ? UciText.Get(o) : UciText.Get(found.Section!));
    }

    [Theory]
    [InlineData("nosuch", UciLookupStatus.NotFound)]
    [InlineData("usb.nosuch", UciLookupStatus.NotFound)]
    [InlineData("@mount[2]", UciLookupStatus.NotFound)]
    [InlineData("@mount[-3]", UciLookupStatus.NotFound)]
    [InlineData("@mo-unt[0]", UciLookupStatus.NotFound)]
    [InlineData("", UciLookupStatus.Invalid)]
    [InlineData("@mount", UciLookupStatus.Invalid)]
    [InlineData("@mount[x]", UciLookupStatus.Invalid)]
    [InlineData("@mount[0]x", UciLookupStatus.Invalid)]
    [InlineData("@mount[0x1]", UciLookupStatus.Invalid)]
    [InlineData("bad-name", UciLookupStatus.Invalid)]
    [InlineData("usb.", UciLookupStatus.ParseError)]
    [InlineData("usb.target.x", UciLookupStatus.ParseError)]
    [InlineData("usb.bad-opt", UciLookupStatus.ParseError)]
    public void Resolve_MissingOrMalformed_SaysWhichAsUciDoes(string path, UciLookupStatus status) =>
        Assert.Equal(status, UciLookup.Resolve(Package(), path).Status);

    [Fact]
    public void Resolve_TrailingValue_IsSplitOff()
    {
        var found = UciLookup.Resolve(Package(), "usb.target=5");
        Assert.Equal(UciLookupStatus.Found, found.Status);
        Assert.Equal("5", found.Value);
    }

    [Fact]
    public void Show_Package_UsesTypeIndexesForAnonymousSections()
    {
        Assert.Equal(
            "fstab.@global[0]=global\nfstab.@global[0].anon_swap='0'\n" +
            "fstab.@mount[0]=mount\nfstab.@mount[0].target='/storage'\nfstab.@mount[0].label='rootfs_data'\n" +
            "fstab.usb=mount\nfstab.usb.target='/mnt/usb'\nfstab.usb.opts='a b' 'c'\n" +
            "fstab.@swap[0]=swap\nfstab.@swap[0].device='/dev/sda2'\n",
            UciText.Show(Package()));
    }

    [Fact]
    public void Show_OneAnonymousSectionOrOption_UsesItsGeneratedName()
    {
        // cli.c uci_show_section: cur_section_ref is only set while showing a whole package.
        var package = Package();
        var mount = UciLookup.Resolve(package, "@mount[0]").Section!;
        Assert.Equal("fstab.cfg024d78=mount\nfstab.cfg024d78.target='/storage'\nfstab.cfg024d78.label='rootfs_data'\n",
            UciText.ShowSection(package, mount));
        Assert.Equal("fstab.cfg024d78.label='rootfs_data'\n", UciText.ShowOption(package, mount, mount["label"]!));
    }

    [Fact]
    public void Export_WritesLibucisFormat()
    {
        // file.c uci_export_package: anonymous sections without a name (no UCI_FLAG_EXPORT_NAME),
        // a blank line before each section and at the end, ' escaped as '\'' even outside quotes.
        var package = UciParser.Parse("config mount\n option target /x\n list dev \"it's\"\nconfig swap 'sw'\n", "fstab", "fstab").Package;
        Assert.Equal("package fstab\n\nconfig mount\n\toption target '/x'\n\tlist dev 'it'\\''s'\n\nconfig swap 'sw'\n\n",
            UciText.Export(package));
        Assert.Equal("package fstab\n\n", UciText.Export(new UciPackage("fstab")));
    }

    [Theory]
    [InlineData(Fstab)]
    [InlineData("config t s\n option a 'line1\nline2'\n option b \"it's \\\"q\\\"\"\n list c ''\n list c 'x\ty'\n option d '#;\\\\'\n" +
        "config t\nconfig u 'x'\n option e 'é'\n")]
    public void Export_ParsedAgain_ShowsTheSame(string text)
    {
        var package = Package(text);
        var again = UciParser.Parse(UciText.Export(package), "other", "exported");
        Assert.Empty(again.Problems);
        Assert.Equal(UciText.Show(package).Replace("fstab.", "other.", StringComparison.Ordinal), UciText.Show(again.Package));
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("''", "''\\'''\\'''")]
    public void Quote_EscapesSingleQuotesAsUciPrintValue(string value, string expected) => Assert.Equal(expected, UciText.Quote(value));
}
