// The ISO's two boot menus, isolinux (BIOS) and GRUB (UEFI), as preinit mklive wrote them into out/iso
// from src/LiveCd/boot-menu: the same entries, in the same order, with the same kernel arguments.
using System.Text.RegularExpressions;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public partial class BootMenuTests
{
    private const string Consoles = "console=tty0 console=ttyS0,115200";

    private sealed record Entry(string Name, string Title, char Hotkey, string Arguments);

    private static string IsoFile(string path) => Path.Combine(Paths.Out, "iso", path);

    [PublishedFact]
    public void IsolinuxAndGrubMenus_HaveTheTablesEntries_WithTheSameKernelArguments()
    {
        var table = ReadTable(File.ReadAllText(Path.Combine(Paths.Repository, "src", "LiveCd", "boot-menu")));
        var isolinux = ReadIsolinux(File.ReadAllText(IsoFile("isolinux/isolinux.cfg")));
        var grub = ReadGrub(File.ReadAllText(IsoFile("boot/grub/grub.cfg")));

        Assert.Equal(["live", "failsafe", "ram", "verbose", "shell"], table.Select(e => e.Name));
        Assert.Equal(table, isolinux);
        Assert.Equal(table, grub);
    }

    [PublishedFact]
    public void EveryEntry_HasBothConsoles_SerialLast()
    {
        foreach (var entry in ReadGrub(File.ReadAllText(IsoFile("boot/grub/grub.cfg"))))
        {
            var consoles = entry.Arguments.Split(' ').Where(a => a.StartsWith("console=", StringComparison.Ordinal));
            Assert.Equal(["console=tty0", "console=ttyS0,115200"], consoles);
        }
    }

    [PublishedFact]
    public void BothMenus_BootTheFirstEntry_AfterTheSameTimeout()
    {
        var isolinux = File.ReadAllText(IsoFile("isolinux/isolinux.cfg"));
        var grub = File.ReadAllText(IsoFile("boot/grub/grub.cfg"));

        var tenths = int.Parse(Regex.Match(isolinux, @"^TIMEOUT (\d+)$", RegexOptions.Multiline).Groups[1].Value);
        var seconds = int.Parse(Regex.Match(grub, @"^set timeout=(\d+)$", RegexOptions.Multiline).Groups[1].Value);
        Assert.Equal(seconds * 10, tenths);
        Assert.InRange(seconds, 1, 10);
        Assert.Matches(@"(?m)^DEFAULT live$", isolinux);
        Assert.Matches(@"(?m)^set default=0$", grub);
        // A hotkey boots its entry in isolinux too, as in GRUB.
        Assert.Matches(@"(?m)^MENU IMMEDIATE$", isolinux);
    }

    [PublishedFact]
    public void TheIso_HasWhatGrubSearchesFor_AndTheSignedEfiBootChain()
    {
        Assert.True(File.Exists(IsoFile(".disk/info")), "Debian's signed GRUB finds its disk by /.disk/info");
        var listing = Tools.Run("mdir", "-b", "-i", IsoFile("boot/efiboot.img"), "::/EFI/BOOT");
        foreach (var file in new[] { "BOOTX64.EFI", "grubx64.efi", "mmx64.efi" })
            Assert.Contains($"::/EFI/BOOT/{file}", listing, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>src/LiveCd/boot-menu: name | title with ^ before the hotkey | arguments after the consoles.</summary>
    private static List<Entry> ReadTable(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').Select(l =>
        {
            var f = l.Split('|').Select(x => x.Trim()).ToArray();
            return new Entry(f[0], f[1].Replace("^", ""), char.ToLowerInvariant(f[1][f[1].IndexOf('^') + 1]), $"{Consoles} {f[2]}".Trim());
        }).ToList();

    private static List<Entry> ReadIsolinux(string text) =>
        IsolinuxEntry().Matches(text).Select(m => new Entry(
            m.Groups["name"].Value,
            m.Groups["title"].Value.Replace("^", ""),
            char.ToLowerInvariant(m.Groups["title"].Value[m.Groups["title"].Value.IndexOf('^') + 1]),
            m.Groups["args"].Value.Replace("initrd=/boot/initramfs.gz ", "").Trim())).ToList();

    private static List<Entry> ReadGrub(string text) =>
        GrubEntry().Matches(text).Select(m => new Entry(
            m.Groups["name"].Value, m.Groups["title"].Value, m.Groups["key"].Value[0], m.Groups["args"].Value.Trim())).ToList();

    [GeneratedRegex(@"^LABEL (?<name>\S+)\n\s+MENU LABEL (?<title>[^\n]+)\n\s+KERNEL /boot/vmlinuz\n\s+APPEND (?<args>[^\n]+)$",
        RegexOptions.Multiline)]
    private static partial Regex IsolinuxEntry();

    [GeneratedRegex(@"^menuentry '(?<title>[^']+)' --hotkey=(?<key>\S) --id=(?<name>\S+) \{\n\s+linux /boot/vmlinuz (?<args>[^\n]+)\n" +
        @"\s+initrd /boot/initramfs.gz\n\}", RegexOptions.Multiline)]
    private static partial Regex GrubEntry();
}
