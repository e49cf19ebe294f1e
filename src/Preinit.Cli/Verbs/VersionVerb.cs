// `preinit version`: the version and the runtime.
using System.CommandLine;

namespace Preinit.Cli.Verbs;

public sealed class VersionVerb() : Verb("version", "print the version")
{
    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        output.WriteLine($"preinit {VersionInfo.Version} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
            "linux-x64 NativeAOT)");
        return 0;
    }
}
