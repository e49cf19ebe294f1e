// A label is bytes, and blkid prints exactly those bytes: a FAT label written in a DOS code page is not
// UTF-8. Our labels are strings that keep every byte: UTF-8 where the bytes are UTF-8, and each byte that
// is not as the lone surrogate U+DC00+byte (PEP 383's "surrogateescape"; valid UTF-8 never decodes to a
// surrogate, so the mapping is one-to-one and ToBytes gives blkid's bytes back). Printing writes such a
// byte as \xNN (PrintableText); matching a LABEL= spec also takes the label read in code page 850.
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Preinit.Core.Probing;

public static class LabelBytes
{
    private const char FirstByte = '\uDC80', LastByte = '\uDCFF';

    /// <summary>Code page 850 (DOS Western Europe, the OEM code page FAT labels from Windows and DOS are written in),
    /// bytes 0x80 to 0xFF.</summary>
    private const string CodePage850 =
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀" +
        "ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00AD±‗¾¶§÷¸°¨·¹³²■\u00A0";

    /// <summary>The bytes as a string: UTF-8 decoded, each byte outside a valid UTF-8 sequence kept as U+DC00+byte.</summary>
    public static string FromBytes(ReadOnlySpan<byte> raw)
    {
        if (Utf8.IsValid(raw)) return Encoding.UTF8.GetString(raw);
        var s = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(raw, out var rune, out var consumed) == OperationStatus.Done)
                s.Append(rune.ToString());
            else
            {
                s.Append((char)(0xDC00 + raw[0]));
                consumed = 1;
            }
            raw = raw[consumed..];
        }
        return s.ToString();
    }

    /// <summary>The bytes a label string stands for (the inverse of FromBytes).</summary>
    public static byte[] ToBytes(string label)
    {
        var output = new List<byte>(label.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < label.Length; i++)
        {
            if (ByteAt(label, i) is byte b) { output.Add(b); continue; }
            var n = Rune.TryGetRuneAt(label, i, out var rune) ? rune.EncodeToUtf8(utf8) : Rune.ReplacementChar.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++) output.Add(utf8[k]);
            if (rune.Utf16SequenceLength == 2) i++;
        }
        return [.. output];
    }

    /// <summary>The byte the character at i stands for, or null when it is text: a low surrogate in the byte
    /// range that is not the second half of a surrogate pair.</summary>
    public static byte? ByteAt(string text, int i) =>
        text[i] is >= FirstByte and <= LastByte && (i == 0 || !char.IsHighSurrogate(text[i - 1])) ? (byte)(text[i] - 0xDC00) : null;

    /// <summary>The label as text: bytes that are not UTF-8 read in code page 850; null when it has none (then the
    /// label is its own text).</summary>
    public static string? CodePageText(string? label)
    {
        if (label is null) return null;
        StringBuilder? s = null;
        for (var i = 0; i < label.Length; i++)
        {
            if (ByteAt(label, i) is not byte b) { s?.Append(label[i]); continue; }
            s ??= new StringBuilder(label, 0, i, label.Length);
            s.Append(CodePage850[b - 0x80]);
        }
        return s?.ToString();
    }
}
