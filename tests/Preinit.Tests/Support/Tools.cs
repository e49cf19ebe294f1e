// Runs a real tool (mkfs, debugfs, ...) that a test needs to make its input; fails the test with
// the tool's own message when it fails.
using System.Diagnostics;
using Xunit;

namespace Preinit.Tests.Support;

public static class Tools
{
    /// <returns>What the tool wrote to standard output.</returns>
    public static string Run(string program, params string[] args)
    {
        var (exit, output, error) = Capture(program, args);
        Assert.True(exit == 0, $"{program} {string.Join(' ', args)} exited {exit}: {error}");
        return output;
    }

    /// <summary>Runs a program to its end, in <paramref name="directory"/> when given, with <paramref name="environment"/>
    /// added to this process's (a null value removes the variable).</summary>
    public static (int Exit, string Output, string Error) Capture(string program, IEnumerable<string> args, string? directory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null) info.WorkingDirectory = directory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error.Result);
    }

    /// <summary>A sparse image file of <paramref name="bytes"/> in the temp directory, made by <paramref name="mkfs"/> with these arguments.</summary>
    public static string Image(string prefix, long bytes, string mkfs, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.img");
        using (var f = File.Create(path)) f.SetLength(bytes);
        Run(mkfs, [.. args, path]);
        return path;
    }

    /// <summary>Zeroes an ext filesystem's primary superblock (bytes 1024-2047), as a bad write would leave it.</summary>
    public static void DamagePrimarySuperblock(string image)
    {
        using var f = new FileStream(image, FileMode.Open, FileAccess.Write);
        f.Position = 1024;
        f.Write(new byte[1024]);
    }
}
