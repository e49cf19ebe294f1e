// Mutations for the fuzz tests: seeded, so a failing case is named by its seed and number and can
// be replayed. PREINIT_FUZZ_SCALE multiplies every test's case count (tests/bench/fuzz.sh runs
// the same tests longer with it).
namespace Preinit.Tests.Support;

public static class FuzzCases
{
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("PREINIT_FUZZ_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary>Bytes the parsers give meaning to, more likely to reach their edges than random ones.</summary>
    private static readonly byte[] Interesting = "\0\n\r\t \\'\"=#;$`{}()[]/.-_0123456789xX"u8.ToArray();

    /// <summary>A copy of <paramref name="seed"/> with one to eight mutations: bytes changed, inserted, deleted,
    /// ranges repeated, or the end cut off.</summary>
    public static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        for (var n = random.Next(1, 9); n > 0; n--)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0: data[at] = (byte)random.Next(256); break;
                case 1 when data.Count > 0: data[at] = Interesting[random.Next(Interesting.Length)]; break;
                case 2: data.Insert(at, Interesting[random.Next(Interesting.Length)]); break;
                case 3 when data.Count > 0: data.RemoveRange(at, Math.Min(random.Next(1, 16), data.Count - at)); break;
                case 4 when data.Count > 0:
                    var length = Math.Min(random.Next(1, 64), data.Count - at);
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 5: data.RemoveRange(at, data.Count - at); break;
            }
        }
        return [.. data];
    }
}
