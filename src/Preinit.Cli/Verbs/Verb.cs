// What every verb is: a command whose options and arguments are its properties and whose action
// writes to the writers of the invocation (the console's, or those VerbCommands.Run is given), so a
// test hands in its own and swaps nothing global.
using System.CommandLine;

namespace Preinit.Cli.Verbs;

public abstract class Verb : Command
{
    protected Verb(string name, string description) : base(name, description) =>
        SetAction(result => Run(result, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));

    /// <param name="output">What the verb was asked for (stdout).</param>
    /// <param name="error">`Error:` and `Warning:` lines, progress (stderr).</param>
    /// <returns>The exit status.</returns>
    protected abstract int Run(ParseResult result, TextWriter output, TextWriter error);

    /// <summary>A refusal or a failure: one `Error:` line, exit 1.</summary>
    public static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"Error: {message}");
        return 1;
    }
}
