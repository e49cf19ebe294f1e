// Runs a real tool (mkfs, debugfs, ...) that a test needs to make its input; fails the test with
// the tool's own message when it fails.
using System.Diagnostics;
using Xunit;

namespace Preinit.Tests.Support;

public static class Tools
{
    /// <summary>Runs the tool and returns what it printed on stdout.</summary>
    public static string Run(string program, params string[] args)
    {
        var p = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errorText = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        var error = errorText.Result;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {p.ExitCode}: {error}");
        return output;
    }

    /// <summary>A sparse image file of <paramref name="bytes"/> in the temp directory, made by <paramref name="mkfs"/> with these arguments.</summary>
    public static string Image(string prefix, long bytes, string mkfs, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.img");
        using (var f = File.Create(path)) f.SetLength(bytes);
        Run(mkfs, [.. args, path]);
        return path;
    }
}
