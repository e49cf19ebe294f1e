// libuci's name rules (util.c uci_validate_str and uci_internal.h) and the hash behind the names
// it gives anonymous sections (list.c djbhash).
namespace Preinit.Core.Uci;

public static class UciNames
{
    /// <summary>
    /// util.c uci_validate_str: not empty; ASCII letters, digits and '_' (plus '-' for a package name);
    /// for a type (name = false) any printable ASCII character but blanks, 33 to 126.
    /// </summary>
    public static bool IsValid(string s, bool name, bool package)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_') continue;
            if (c == '-' && package) continue;
            if (name || c < 33 || c > 126) return false;
        }
        return true;
    }

    /// <summary>uci_validate_name: section and option names.</summary>
    public static bool IsName(string s) => IsValid(s, name: true, package: false);

    /// <summary>uci_validate_type: section types.</summary>
    public static bool IsType(string s) => IsValid(s, name: false, package: false);

    /// <summary>list.c djbhash from its initial value (hash == ~0U), masked to 31 bits as it returns.</summary>
    public static uint DjbHash(string s)
    {
        uint hash = 5381;
        // Types are printable ASCII (IsType), so C's signed char and the UTF-16 unit agree.
        foreach (var c in s) hash = unchecked((hash << 5) + hash + c);
        return hash & 0x7FFFFFFF;
    }
}
