// `preinit failsafe`: failsafe mode on a running system, as boot would enter it: the failsafe hook
// runs (fs_failsafe_* address and its message, telnetd on that address only, /tmp/.failsafe) and a
// login shell is kept on every active console until this process is killed.
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Network;
using Preinit.Boot.Stages;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public static class FailsafeVerb
{
    public static Command Create()
    {
        var commandLine = ConfigOptions.CommandLine();
        var conf = ConfigOptions.Conf();
        var hookDir = ConfigOptions.HookDirectory();
        var command = new Command("failsafe", "enter failsafe mode now: the failsafe address and telnet login, a login shell on every console (until killed)")
            { commandLine, conf, hookDir };
        command.SetAction(result =>
        {
            if (Libc.Geteuid() != 0)
            {
                Console.Error.WriteLine("Error: failsafe mode needs root (it sets an address and starts shells on the consoles)");
                return 1;
            }
            using var host = PreinitHost.Build(ConfigOptions.Inputs(result, commandLine, conf, hookDir));
            host.Services.GetRequiredService<PreinitSession>().Failsafe = true;
            host.Services.GetRequiredService<StepRunner>().RunHook(HookNames.Failsafe);
            Console.Error.WriteLine("Error: the failsafe hook returned (it has no failsafe_shell); failsafe mode is not running");
            return 1;
        });
        return command;
    }
}
