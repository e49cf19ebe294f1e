// The real tools the probing tests lean on: blkid -p as the reference for every answer, mkfs and
// friends to make images. A missing tool skips the test on a developer machine and fails it in CI
// (CI=true), like the other tiers (Support/Tier.cs).
using System.Diagnostics;
using System.Text;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

public static class ProbingTools
{
    // Test runners may start without the sbin directories on PATH, where mkfs and blkid live.
    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public static string? Find(string tool) =>
        Tier.Which(tool) ?? SystemDirectories.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    /// <summary>Why the tools cannot run (which are missing), or null when all are installed.</summary>
    public static string? Missing(params string[] tools)
    {
        var missing = tools.Where(t => Find(t) is null).ToList();
        return missing.Count == 0 ? null : $"{string.Join(", ", missing)} not installed (./publish.sh deps installs them)";
    }

    /// <summary>Runs a tool to completion (60 s at most); fails the test with its output if it exits non-zero.</summary>
    public static string Run(string tool, IEnumerable<string> args, string? stdin = null, params int[] okExitCodes) =>
        Run(tool, args, stdin, Encoding.UTF8, okExitCodes);

    /// <summary>As Run, reading the tool's output in the given encoding (Latin-1: byte for byte).</summary>
    public static string Run(string tool, IEnumerable<string> args, string? stdin, Encoding output, params int[] okExitCodes)
    {
        Tier.Require(Missing(tool));
        var start = new ProcessStartInfo(Find(tool)!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            StandardOutputEncoding = output, StandardErrorEncoding = Encoding.UTF8, UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not finish in 60 s");
        }
        var codes = okExitCodes.Length == 0 ? [0] : okExitCodes;
        if (!codes.Contains(p.ExitCode))
            Assert.Fail($"{tool} {string.Join(' ', args)} exited {p.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
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

/// <summary>A fact that needs tools: skipped when one is missing, unless CI=true (then it runs and fails).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        if (!Tier.RequireAll && ProbingTools.Missing(["blkid", .. tools]) is { } why) Skip = why;
    }
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
