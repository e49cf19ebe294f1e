using System.CommandLine;

namespace Preinit.Cli.Verbs;

public static class VersionVerb
{
    public static Command Create()
    {
        var command = new Command("version", "print the version");
        command.SetAction(_ =>
        {
            Console.WriteLine($"preinit {VersionInfo.Version} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, linux-x64 NativeAOT)");
            return 0;
        });
        return command;
    }
}
