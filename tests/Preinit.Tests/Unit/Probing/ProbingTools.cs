// The real tools the probing tests lean on: blkid -p as the reference for every answer, mkfs and
// friends to make images. A missing tool skips the test on a developer machine and fails it in CI
// (CI=true), like the other tiers ([ToolFact("blkid", "blkid", ...)], Support/Tier.cs).
using System.Text;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

public static class ProbingTools
{
    private static readonly Dictionary<string, string?> CLocale = new() { ["LC_ALL"] = "C.UTF-8" };

    /// <summary>Runs a tool to completion (60 s at most) in the C locale; fails the test with its output if it exits
    /// with another status than <paramref name="okExitCodes"/> (0 when none are given).</summary>
    public static string Run(string tool, IEnumerable<string> args, string? stdin = null, params int[] okExitCodes) =>
        Run(tool, args, stdin, Encoding.UTF8, okExitCodes);

    /// <summary>As Run, reading the tool's output in the given encoding (Latin-1: byte for byte).</summary>
    public static string Run(string tool, IEnumerable<string> args, string? stdin, Encoding output, params int[] okExitCodes)
    {
        Tier.Require(Tier.ToolsMissing(tool));
        return Tools.Capture(tool, args, environment: CLocale, stdin: stdin, outputEncoding: output, timeout: TimeSpan.FromSeconds(60))
            .Expect(okExitCodes).Output;
    }
}

/// <summary>What `blkid -p` says about a file, the reference every probing test compares with.</summary>
public static class Blkid
{
    /// <summary>`blkid -p -d -o export` as KEY=VALUE pairs (-d: values raw, not escaped); empty when blkid finds
    /// nothing (exit 2) or an ambivalent result (exit 8). offset/size probe a window, as for a partition.</summary>
    public static IReadOnlyDictionary<string, string> Probe(string path, long? offset = null, long? size = null)
    {
        var args = new List<string> { "-p", "-d", "-o", "export" };
        if (offset is { } o) args.AddRange(["-O", o.ToString()]);
        if (size is { } s) args.AddRange(["-S", s.ToString()]);
        args.Add(path);
        // -d prints each value's bytes as they are, UTF-8 or not (a FAT label in a code page): read byte for byte
        // and kept as the probers keep label bytes (LabelBytes), so values compare equal byte for byte.
        var output = ProbingTools.Run("blkid", args, null, Encoding.Latin1, 0, 2, 8);
        var values = new Dictionary<string, string>();
        foreach (var line in output.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq]] = LabelBytes.FromBytes(Encoding.Latin1.GetBytes(line[(eq + 1)..]));
        }
        return values;
    }

    public static string? Get(this IReadOnlyDictionary<string, string> values, string key) => values.TryGetValue(key, out var v) ? v : null;
}

/// <summary>What sfdisk says a disk image's partitions are: the second reference, for PARTUUID and PARTLABEL,
/// which blkid -p only reports for partition devices (see the root tier's loop device test).</summary>
public static class Sfdisk
{
    public sealed record Partition(int Number, long StartBytes, long SizeBytes, string? Uuid, string? Name, string Type);

    public static (string Label, string Id, IReadOnlyList<Partition> Partitions) Table(string path)
    {
        using var json = System.Text.Json.JsonDocument.Parse(ProbingTools.Run("sfdisk", ["--json", path]));
        var table = json.RootElement.GetProperty("partitiontable");
        var parts = new List<Partition>();
        foreach (var p in table.GetProperty("partitions").EnumerateArray())
        {
            var node = p.GetProperty("node").GetString()!;
            var number = int.Parse(node[path.Length..]);
            string? Text(string name) => p.TryGetProperty(name, out var v) ? v.GetString() : null;
            parts.Add(new Partition(number, p.GetProperty("start").GetInt64() * 512, p.GetProperty("size").GetInt64() * 512,
                Text("uuid"), Text("name"), Text("type")!));
        }
        return (table.GetProperty("label").GetString()!, table.GetProperty("id").GetString()!, parts);
    }

    public static IReadOnlyList<Partition> Partitions(string path) => Table(path).Partitions;
}
