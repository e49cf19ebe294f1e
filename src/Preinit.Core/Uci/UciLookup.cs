// Finds what `uci get` / `uci show` name after the package: SECTION[.OPTION], where SECTION is a
// name (a generated cfgXXXXXX too) or @type[N] / @[N], N negative counting from the end.
// A port of util.c uci_parse_ptr and list.c uci_lookup_ptr / uci_lookup_ext_section.
namespace Preinit.Core.Uci;

public enum UciLookupStatus
{
    Found,
    /// <summary>No such section or option: `uci: Entry not found`.</summary>
    NotFound,
    /// <summary>A malformed @type[N] (UCI_ERR_INVAL): `uci: Invalid argument`.</summary>
    Invalid,
    /// <summary>A malformed option name or too many parts (UCI_ERR_PARSE): `uci: Parse error`.</summary>
    ParseError,
}

public sealed record UciLookupResult(UciLookupStatus Status, UciSection? Section, UciOption? Option, string? Value, string Problem);

public static class UciLookup
{
    /// <summary>Resolves SECTION[.OPTION][=VALUE] (the part of a uci tuple after "PACKAGE.") in <paramref name="package"/>.</summary>
    public static UciLookupResult Resolve(UciPackage package, string path)
    {
        // uci_parse_ptr: the value is everything after the first '=', the rest splits on '.' (strsep).
        string? value = null;
        var eq = path.IndexOf('=');
        if (eq >= 0)
        {
            value = path[(eq + 1)..];
            path = path[..eq];
        }
        var parts = path.Split('.');
        if (parts.Length > 2) return Fail(UciLookupStatus.ParseError, $"'{path}' has too many parts (expected SECTION[.OPTION])");
        var sectionText = parts[0];
        var optionName = parts.Length == 2 ? parts[1] : null;
        if (optionName is not null && !UciNames.IsName(optionName))
            return Fail(UciLookupStatus.ParseError, $"'{optionName}' is not an option name (letters, digits and '_')");
        if (value is not null && value.Any(c => c < 32 && c is not ('\t' or '\n' or '\r')))
            return Fail(UciLookupStatus.ParseError, "the value holds a control character");

        UciSection? section;
        if (UciNames.IsName(sectionText))
        {
            section = package.Find(sectionText);
        }
        else if (!TryFindExtended(package, sectionText, out section))
        {
            return Fail(UciLookupStatus.Invalid, $"'{sectionText}' is neither a section name nor @type[N]");
        }
        if (section is null) return new(UciLookupStatus.NotFound, null, null, value, $"no section '{sectionText}'");
        if (optionName is null) return new(UciLookupStatus.Found, section, null, value, "");
        var option = section[optionName];
        return option is null
            ? new(UciLookupStatus.NotFound, section, null, value, $"section '{sectionText}' has no option '{optionName}'")
            : new(UciLookupStatus.Found, section, option, value, "");
    }

    private static UciLookupResult Fail(UciLookupStatus status, string problem) => new(status, null, null, null, problem);

    // list.c uci_lookup_ext_section: "@" TYPE "[" N "]" with nothing after the first ']'; an empty
    // TYPE matches every section; N < 0 counts from the end among the sections of that type.
    // Returns false when the text is malformed; section is null when it is well formed but absent.
    private static bool TryFindExtended(UciPackage package, string text, out UciSection? section)
    {
        section = null;
        if (text.Length == 0 || text[0] != '@') return false;
        var open = text.IndexOf('[', 1);
        if (open < 0) return false;
        var close = text.IndexOf(']', open + 1);
        if (close < 0 || close != text.Length - 1) return false;
        if (!CNumbers.TryStrtolInt32(text[(open + 1)..close], out var index, @base: 10)) return false;
        var type = text[1..open];
        if (type.Length > 0 && !UciNames.IsType(type)) return false;

        var candidates = package.Sections.Where(s => type.Length == 0 || s.Type == type).ToList();
        if (index < 0) index += candidates.Count;
        section = index >= 0 && index < candidates.Count ? candidates[index] : null;
        return true;
    }
}
