// Text read from a device (labels, UUIDs, partition names) made safe to print on a terminal: a label
// is whatever its filesystem's owner wrote, terminal escape sequences included. C0 controls, DEL and
// C1 controls become \xNN, as blkid's udev-style encoding writes them, and a backslash becomes \\ so
// the escaping cannot be faked; a label byte that is not UTF-8 (LabelBytes: a FAT label in a code page)
// is \xNN too, so the line shows blkid's bytes; everything else, UTF-8 letters included, stays as it is.
using System.Text;

namespace Preinit.Core.Probing;

public static class PrintableText
{
    public static string Escape(string text)
    {
        if (!NeedsEscape(text)) return text;
        var s = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') s.Append(@"\\");
            else if (IsControl(c)) s.Append($"\\x{(int)c:x2}");
            else if (LabelBytes.ByteAt(text, i) is byte b) s.Append($"\\x{b:x2}");
            else s.Append(c);
        }
        return s.ToString();
    }

    private static bool IsControl(char c) => c < 0x20 || c is >= (char)0x7F and <= (char)0x9F;

    private static bool NeedsEscape(string text)
    {
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\\' || IsControl(text[i]) || LabelBytes.ByteAt(text, i) is not null) return true;
        return false;
    }
}
