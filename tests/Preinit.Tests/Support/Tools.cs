// The tests' one process runner: a real tool (mkfs, debugfs, e2fsck, the published preinit, QEMU)
// run to its end with its output read (both pipes drained, so a chatty tool cannot fill one and
// hang), or started in the background with its output collected as it comes. A failure names the
// command and carries everything the tool printed.
using System.Diagnostics;
using System.Text;
using Xunit;

namespace Preinit.Tests.Support;

/// <summary>What a tool did: its exit status and what it wrote to standard output and standard error.</summary>
public sealed record ToolRun(string Command, int Exit, string Output, string Error)
{
    /// <summary>Standard output then standard error, as one text.</summary>
    public string All => Output + Error;

    public void Deconstruct(out int exit, out string output, out string error) => (exit, output, error) = (Exit, Output, Error);

    /// <summary>Fails the test unless the tool exited with one of <paramref name="codes"/> (0 when none are given).</summary>
    public ToolRun Expect(params int[] codes)
    {
        if (!(codes.Length == 0 ? [0] : codes).Contains(Exit)) Assert.Fail($"{Command} exited {Exit}:\n{Output}\n{Error}");
        return this;
    }
}

public static class Tools
{
    /// <summary>The longest a tool may run when the caller gives no bound: a hung tool fails its test instead of the whole run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <returns>What the tool wrote to standard output; the test fails with the
    /// command and all it printed when it exits non-zero.</returns>
    public static string Run(string program, params string[] args) => Capture(program, args).Expect().Output;

    /// <summary>Runs a program to its end, in <paramref name="directory"/> when given, with <paramref name="environment"/>
    /// added to this process's (a null value removes the variable), <paramref name="stdin"/> as its input (none when null),
    /// its output read in <paramref name="outputEncoding"/> (UTF-8 when null; Latin-1 keeps bytes as they are). A program not
    /// on PATH is also looked for in the sbin directories (<see cref="Tier.Which"/>); one that outlives
    /// <paramref name="timeout"/> (<see cref="DefaultTimeout"/> when null) is killed and fails the test.</summary>
    public static ToolRun Capture(string program, IEnumerable<string> args, string? directory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null, Encoding? outputEncoding = null,
        TimeSpan? timeout = null)
    {
        var arguments = args.ToList();
        var command = string.Join(' ', [program, .. arguments]);
        var info = Info(program, arguments);
        if (outputEncoding is not null) info.StandardOutputEncoding = outputEncoding;
        if (directory is not null) info.WorkingDirectory = directory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var bound = timeout ?? DefaultTimeout;
        if (!p.WaitForExit(bound))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"{command} did not finish in {bound.TotalSeconds:0} s:\n{output.Result}\n{error.Result}");
        }
        return new ToolRun(command, p.ExitCode, output.Result, error.Result); // Result: each pipe read to its end
    }

    /// <summary>Starts a program in the background; what it prints on either pipe is collected in
    /// <see cref="Background.Output"/> as it comes (not line by line: a prompt has no newline).</summary>
    public static Background Start(string program, IEnumerable<string> args) => new(Process.Start(Info(program, args))!);

    private static ProcessStartInfo Info(string program, IEnumerable<string> args) =>
        new(Tier.Which(program) ?? program, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };

    /// <summary>A sparse image file of <paramref name="bytes"/> in the temp
    /// directory, made by <paramref name="mkfs"/> with these arguments.</summary>
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

/// <summary>A program running in the background (<see cref="Tools.Start"/>); disposing it kills what is left of it.</summary>
public sealed class Background : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Thread[] _pumps;
    private bool _disposed;

    internal Background(Process process)
    {
        Process = process;
        _pumps = [.. new[] { process.StandardOutput, process.StandardError }
            .Select(r => new Thread(() => Pump(r)) { IsBackground = true })];
        foreach (var pump in _pumps) pump.Start();
    }

    public Process Process { get; }

    /// <summary>Both pipes so far, in the order the text arrived.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Waits until the output shows <paramref name="text"/> or the program exits; true if it showed.</summary>
    public bool WaitFor(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal) && !Process.HasExited && clock.Elapsed < timeout) Thread.Sleep(100);
        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Waits for the program's end and for the last of its output;
    /// false if it still runs after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout)) return false;
        foreach (var pump in _pumps) pump.Join();
        return true;
    }

    private void Pump(StreamReader reader)
    {
        var buffer = new char[4096];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            lock (_output) _output.Append(buffer, 0, n);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
        Process.Dispose();
    }
}
