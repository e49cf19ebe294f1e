// What the pivot verbs share: the pivot, its log on stderr, then PROGRAM exec'd in the new root
// (without one the verb returns). A pivot that cannot be done ends in one `Error:` line.
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public abstract class PivotVerb(string name, string description) : Verb(name, description)
{
    /// <summary>Added by each pivot verb after its own arguments: it takes the rest of the command line.</summary>
    public Argument<string[]> Program { get; } = new("PROGRAM") { Description = "program and arguments to exec afterwards",
        Arity = ArgumentArity.ZeroOrMore };

    /// <exception cref="InvalidOperationException">The input cannot be pivoted onto (the message says why).</exception>
    protected abstract void Pivot(ParseResult result, Action<string> log);

    /// <summary>The full path of the mounted directory to pivot onto.</summary>
    /// <exception cref="InvalidOperationException">It is not a mounted directory.</exception>
    protected static string MountedDirectory(string path, string what) =>
        InputPath.MountedDirectory(path, what) is { } problem ? throw new InvalidOperationException(problem) : Path.GetFullPath(path);

    protected sealed override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        try
        {
            Pivot(result, error.WriteLine);
            var program = result.GetValue(Program) ?? [];
            if (program.Length > 0)
                Libc.Execve(program[0], program, ChildProcess.CurrentEnvironment());
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return Fail(error, e.Message); }
    }
}
