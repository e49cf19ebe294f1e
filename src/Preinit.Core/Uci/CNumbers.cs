// C's strtol(value, &end, base) as uci uses it: base 0 in blob.c uci_attr_to_blob for
// BLOBMSG_TYPE_INT32 (fstab's numbers), base 10 in list.c for a section index (@mount[N]); the
// number is accepted only when `end` reached the end of the value.
namespace Preinit.Core.Uci;

internal static class CNumbers
{
    /// <summary>
    /// Leading white space, a sign, then (base 0) "0x" hex, "0" octal or decimal, or (base 10) decimal; the whole text must be used
    /// (an empty text is 0, as strtol leaves end at its start). Overflow saturates at LONG_MIN/LONG_MAX
    /// and the result is truncated to int, as `intval = strtol(...)` does on a 64-bit machine.
    /// </summary>
    /// <param name="base">0 (the prefix decides) or 10.</param>
    public static bool TryStrtolInt32(string text, out int value, int @base = 0)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-') negative = text[i++] == '-';

        var radix = @base;
        if (radix == 0)
        {
            radix = 10;
            if (i + 1 < text.Length && text[i] == '0' && text[i + 1] is 'x' or 'X' && i + 2 < text.Length
                && char.IsAsciiHexDigit(text[i + 2]))
            {
                radix = 16;
                i += 2;
            }
            else if (i < text.Length && text[i] == '0')
            {
                radix = 8;
            }
        }

        var start = i;
        long magnitude = 0;
        var overflow = false;
        for (; i < text.Length && DigitValue(text[i]) is var d && d < radix; i++)
        {
            if (magnitude > (long.MaxValue - d) / radix) overflow = true;
            else magnitude = magnitude * radix + d;
        }
        if (i == start) return text.Length == 0; // no digits: end stays at the start of the text
        if (i != text.Length) return false;
        var result = overflow ? (negative ? long.MinValue : long.MaxValue) : (negative ? -magnitude : magnitude);
        value = unchecked((int)result);
        return true;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => int.MaxValue,
    };
}
