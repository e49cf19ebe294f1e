// Our SHA-256 against the FIPS 180-4 examples and against .NET's on every length around the block size.
using System.Security.Cryptography;
using System.Text;
using Preinit.Core.Hashing;
using Xunit;

namespace Preinit.Tests.Unit.Install;

public class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void HexOf_StandardExample_IsTheKnownDigest(string text, string digest) =>
        Assert.Equal(digest, Sha256.HexOf(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Hash_EveryLengthUpTo300_AgreesWithDotNet()
    {
        var random = new Random(1);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA256.HashData(data), Sha256.Hash(data));
        }
    }

    [Fact]
    public void Hash_AMegabyte_AgreesWithDotNet()
    {
        var data = new byte[(1 << 20) + 7];
        new Random(2).NextBytes(data);
        Assert.Equal(SHA256.HashData(data), Sha256.Hash(data));
    }
}
