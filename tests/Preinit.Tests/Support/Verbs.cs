// Runs `preinit VERB ...` in-process and captures what it prints (test classes run one at a time,
// see xunit.runner.json, so swapping Console's writers is safe).
using Preinit.Cli.Verbs;

namespace Preinit.Tests.Support;

public static class Verbs
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try { return (VerbCommands.Run(args), output.ToString(), error.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }
}
