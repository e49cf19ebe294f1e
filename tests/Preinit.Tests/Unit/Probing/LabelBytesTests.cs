// Label bytes survive the round trip through our strings, whatever they are, and print as \xNN
// exactly where they are not UTF-8.
using System.Text;
using Preinit.Core.Probing;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

public class LabelBytesTests
{
    [Fact]
    public void FromBytes_AnyBytes_ToBytesGivesThemBack()
    {
        var random = new Random(1985);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            Assert.Equal(bytes, LabelBytes.ToBytes(LabelBytes.FromBytes(bytes)));
        }
    }

    [Fact]
    public void FromBytes_ValidUtf8_IsTheDecodedText()
    {
        var text = "Ünïcødé ✓ 😀 \U0001F080";   // U+1F080's low surrogate is DC80: text, not a byte
        Assert.Equal(text, LabelBytes.FromBytes(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, PrintableText.Escape(text));
        Assert.Null(LabelBytes.CodePageText(text));
    }

    [Fact]
    public void Escape_BytesThatAreNotUtf8_AreHexAndLoneSurrogatesEncodedAsBlkidDoes()
    {
        // 0xE5 in code page 850 (Õ, util-linux's fat32_cp850_O_tilde image), and
        // a lone surrogate as blkid writes it from UTF-16 (ED A0 80: not UTF-8).
        var label = LabelBytes.FromBytes([0xE5, (byte)'a', 0xED, 0xA0, 0x80, (byte)'\\']);
        Assert.Equal(@"\xe5a\xed\xa0\x80\\", PrintableText.Escape(label));
        Assert.Equal("ÕaÝáÇ\\", LabelBytes.CodePageText(label));
    }
}
