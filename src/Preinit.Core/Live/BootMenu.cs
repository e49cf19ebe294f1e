// The Live image's boot menu, one table for both loaders (src/LiveCd/boot-menu): isolinux.cfg for
// a legacy BIOS and grub.cfg for UEFI are written from it, so the two menus cannot differ. Every
// entry's command line starts with the consoles (the screen and the first serial port, ttyS0 last
// so that /dev/console is the serial port), then what the caller adds, then the entry's own words.
namespace Preinit.Core.Live;

public sealed class BootMenuEntry(string name, string title, char hotkey, string arguments)
{
    /// <summary>[a-z0-9_-]+: isolinux's LABEL and GRUB's --id.</summary>
    public string Name { get; } = name;
    /// <summary>With the ^ before the hotkey letter, as isolinux shows it.</summary>
    public string Title { get; } = title;
    public char Hotkey { get; } = hotkey;
    public string Arguments { get; } = arguments;
}

public sealed class BootMenu
{
    public const string Consoles = "console=tty0 console=ttyS0,115200";
    public const int TimeoutSeconds = 3;

    public IReadOnlyList<BootMenuEntry> Entries { get; }

    private BootMenu(IReadOnlyList<BootMenuEntry> entries) => Entries = entries;

    /// <summary>Reads the table: `name | title | arguments` a line, # comments.</summary>
    /// <exception cref="FormatException">What either loader would trip over, with the line.</exception>
    public static BootMenu Parse(string table)
    {
        var entries = new List<BootMenuEntry>();
        var lines = table.Split('\n');
        for (var n = 1; n <= lines.Length; n++)
        {
            var line = lines[n - 1].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('|');
            if (fields.Length != 3) throw Bad(n, "needs three fields separated by '|': name | title | arguments");
            var (name, title, arguments) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
            if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
                throw Bad(n, $"name '{name}' is not [a-z0-9_-]+");
            var caret = title.IndexOf('^');
            if (caret < 0 || caret != title.LastIndexOf('^') || caret + 1 >= title.Length || !char.IsAsciiLetterOrDigit(title[caret + 1]))
                throw Bad(n, $"title '{title}' needs one ^ before its hotkey letter");
            var key = char.ToLowerInvariant(title[caret + 1]);
            // GRUB's menu keeps e (edit), c (command line) and v for itself.
            if (key is 'c' or 'e' or 'v') throw Bad(n, $"hotkey '{key}' is GRUB's own key");
            if (entries.Exists(e => e.Hotkey == key)) throw Bad(n, $"hotkey '{key}' is taken");
            if (entries.Exists(e => e.Name == name)) throw Bad(n, $"name '{name}' is taken");
            if ((title + arguments).IndexOfAny(['\'', '"', '\\']) >= 0) throw Bad(n, "no quotes or backslashes, please");
            entries.Add(new BootMenuEntry(name, title, key, arguments));
        }
        if (entries.Count == 0) throw new FormatException("the boot menu has no entries");
        return new BootMenu(entries);
    }

    private static FormatException Bad(int line, string problem) => new($"boot menu line {line}: {problem}");

    /// <summary>The whole kernel command line of <paramref name="entry"/>, with <paramref name="append"/> before its own words.</summary>
    public static string CommandLine(BootMenuEntry entry, string append) =>
        string.Join(' ', new[] { Consoles, append, entry.Arguments }.Where(s => s.Length > 0));

    /// <summary>isolinux (BIOS): menu.c32 on the screen and, through SERIAL, on the first serial port; Tab edits the
    /// command line; MENU IMMEDIATE makes a hotkey boot its entry at once, as GRUB's do.</summary>
    public string Isolinux(string title, string append)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"""
            # Written by preinit mklive from its boot menu table.
            SERIAL 0 115200
            UI menu.c32
            PROMPT 0
            TIMEOUT {TimeoutSeconds * 10}
            DEFAULT {Entries[0].Name}
            MENU TITLE {title}
            MENU IMMEDIATE
            MENU TABMSG Press a highlighted letter to boot, [Tab] to edit the command line

            """);
        foreach (var e in Entries)
            text.Append($"""

                LABEL {e.Name}
                  MENU LABEL {e.Title}
                  KERNEL /boot/vmlinuz
                  APPEND initrd=/boot/initramfs.gz {CommandLine(e, append)}

                """);
        return text.ToString();
    }

    /// <summary>GRUB (UEFI): Debian's signed GRUB finds this file through /.disk/info; "e" edits an entry.</summary>
    public string Grub(string append)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"""
            # Written by preinit mklive from its boot menu table.
            set default=0
            set timeout={TimeoutSeconds}

            """);
        foreach (var e in Entries)
            text.Append($$"""

                menuentry '{{e.Title.Replace("^", "")}}' --hotkey={{e.Hotkey}} --id={{e.Name}} {
                    linux /boot/vmlinuz {{CommandLine(e, append)}}
                    initrd /boot/initramfs.gz
                }

                """);
        return text.ToString();
    }
}
