// Runs `preinit VERB ...` in-process and captures what it prints: the verbs write to the writers
// they are given, so tests need no global swap and may run at the same time.
using Preinit.Cli.Verbs;

namespace Preinit.Tests.Support;

public static class Verbs
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        return (VerbCommands.Run(args, output, error), output.ToString(), error.ToString());
    }
}
