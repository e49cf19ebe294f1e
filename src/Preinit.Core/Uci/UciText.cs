// What the `uci` command prints: `uci show` and `uci get` (openwrt/uci cli.c uci_show_package,
// uci_show_section, uci_show_option, uci_show_value) and `uci export` (file.c uci_export_package).
// Lines end in '\n' only, byte for byte as uci prints them.
using System.Text;

namespace Preinit.Core.Uci;

public static class UciText
{
    /// <summary>`uci show PACKAGE`: every section as pkg.REF=type, then its options; REF is @type[N] for an anonymous section.</summary>
    public static string Show(UciPackage package)
    {
        var sb = new StringBuilder();
        foreach (var (section, reference) in package.WithReferences()) AppendSection(sb, package, section, reference);
        return sb.ToString();
    }

    /// <summary>
    /// `uci show PACKAGE.SECTION`: cli.c has no @type[N] reference outside a package listing
    /// (cur_section_ref is NULL), so an anonymous section shows under its generated name (cfg02xxxx).
    /// </summary>
    public static string ShowSection(UciPackage package, UciSection section)
    {
        var sb = new StringBuilder();
        AppendSection(sb, package, section, section.Id);
        return sb.ToString();
    }

    /// <summary>`uci show PACKAGE.SECTION.OPTION`, under the section's own or generated name.</summary>
    public static string ShowOption(UciPackage package, UciSection section, UciOption option)
    {
        var sb = new StringBuilder();
        AppendOption(sb, package, section.Id, option);
        return sb.ToString();
    }

    /// <summary>
    /// `uci get PACKAGE.SECTION.OPTION` (cli.c uci_show_value with quote = false): a value as it is;
    /// list items joined by a space, an item quoted only when it holds a space, tab, CR or LF.
    /// </summary>
    public static string Get(UciOption option)
    {
        if (!option.IsList) return option.Value + "\n";
        var items = option.Items!.Select(i => i.AsSpan().IndexOfAny(" \t\r\n") >= 0 ? Quote(i) : i);
        return string.Join(' ', items) + "\n";
    }

    /// <summary>`uci get PACKAGE.SECTION`: the section's type.</summary>
    public static string Get(UciSection section) => section.Type + "\n";

    /// <summary>
    /// `uci export PACKAGE` (file.c uci_export_package with header): "package NAME", then per section a
    /// blank line, "config TYPE" with " 'NAME'" for a named section only (the cli does not set
    /// UCI_FLAG_EXPORT_NAME unless given -n), "\toption NAME 'VALUE'" or one "\tlist NAME 'ITEM'" per
    /// item, and a blank line at the end. uci_escape replaces ' with '\'' everywhere, quoted or not.
    /// </summary>
    public static string Export(UciPackage package)
    {
        var sb = new StringBuilder();
        sb.Append("package ").Append(Escape(package.Name)).Append('\n');
        foreach (var section in package.Sections)
        {
            sb.Append("\nconfig ").Append(Escape(section.Type));
            if (!section.IsAnonymous) sb.Append(" '").Append(Escape(section.Id)).Append('\'');
            sb.Append('\n');
            foreach (var option in section.Options)
            {
                if (!option.IsList)
                {
                    sb.Append("\toption ").Append(Escape(option.Name)).Append(" '").Append(Escape(option.Value!)).Append("'\n");
                    continue;
                }
                foreach (var item in option.Items!)
                    sb.Append("\tlist ").Append(Escape(option.Name)).Append(" '").Append(Escape(item)).Append("'\n");
            }
        }
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>cli.c uci_print_value: single quotes around, each ' inside written as '\''.</summary>
    public static string Quote(string value) => "'" + Escape(value) + "'";

    // file.c uci_escape / UCI_QUOTE_ESCAPE.
    private static string Escape(string value) => value.Replace("'", "'\\''", StringComparison.Ordinal);

    private static void AppendSection(StringBuilder sb, UciPackage package, UciSection section, string reference)
    {
        sb.Append(package.Name).Append('.').Append(reference).Append('=').Append(section.Type).Append('\n');
        foreach (var option in section.Options) AppendOption(sb, package, reference, option);
    }

    private static void AppendOption(StringBuilder sb, UciPackage package, string reference, UciOption option)
    {
        sb.Append(package.Name).Append('.').Append(reference).Append('.').Append(option.Name).Append('=');
        // cli.c uci_show_value with quote = true: every list item quoted, joined by the delimiter (-d, default " ").
        sb.Append(option.IsList ? string.Join(' ', option.Items!.Select(Quote)) : Quote(option.Value!));
        sb.Append('\n');
    }
}
