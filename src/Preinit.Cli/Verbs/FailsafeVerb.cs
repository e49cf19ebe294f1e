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

public sealed class FailsafeVerb : Verb
{
    public Option<string?> CommandLine { get; } = ConfigOptions.CommandLine();
    public Option<string?> Conf { get; } = ConfigOptions.Conf();
    public Option<string?> HookDirectory { get; } = ConfigOptions.HookDirectory();

    public FailsafeVerb() : base("failsafe", "enter failsafe mode now: the failsafe address and telnet login, " +
        "a login shell on every console (until killed)")
    {
        Add(CommandLine);
        Add(Conf);
        Add(HookDirectory);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        if (Libc.Geteuid() != 0) return Fail(error, "failsafe mode needs root (it sets an address and starts shells on the consoles)");
        using var host = PreinitHost.Build(ConfigOptions.Inputs(result, CommandLine, Conf, HookDirectory));
        host.Services.GetRequiredService<PreinitSession>().Failsafe = true;
        host.Services.GetRequiredService<StepRunner>().RunHook(HookNames.Failsafe);
        return Fail(error, "the failsafe hook returned (it has no failsafe_shell); failsafe mode is not running");
    }
}
