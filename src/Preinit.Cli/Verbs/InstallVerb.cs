// `preinit install ROOTFS [--uninstall]`: drops preinit into an existing rootfs directory
// (RootfsInstaller) or puts the rootfs back as it was (RootfsUninstaller). One line per path.
using System.CommandLine;
using System.Runtime.CompilerServices;
using Preinit.Boot.Install;

namespace Preinit.Cli.Verbs;

public static class InstallVerb
{
    public static Command Create()
    {
        var rootfs = new Argument<string>("ROOTFS") { Description = "the rootfs directory (an unpacked initramfs tree) to put preinit into" };
        var uninstall = new Option<bool>("--uninstall") { Description = "undo an earlier install: remove what it created, put back what it moved aside" };
        var binary = new Option<string?>("--binary") { Description = "the preinit executable to install (default: this one)" };
        var command = new Command("install", "put preinit into a rootfs: /sbin/preinit, its libc files, /init and /etc/preinit, default settings and fstab")
        {
            rootfs, uninstall, binary,
        };
        command.SetAction(result =>
        {
            var root = result.GetValue(rootfs)!;
            try
            {
                if (result.GetValue(uninstall))
                {
                    if (result.GetValue(binary) is not null) return Fail("--binary goes with installing, not with --uninstall");
                    var kept = RootfsUninstaller.Uninstall(root, Console.WriteLine);
                    Console.WriteLine(kept == 0 ? $"preinit uninstalled: {root} is as it was before"
                        : $"preinit uninstalled, but {kept} paths were kept (listed above): {root} is not quite as it was before");
                    return 0;
                }
                var executable = result.GetValue(binary) ?? RunningBinary()
                    ?? throw new InstallException($"this is not the published preinit but the .NET host ({Environment.ProcessPath}): give the binary with --binary out/preinit");
                RootfsInstaller.Install(root, executable, Console.WriteLine);
                return 0;
            }
            catch (InstallException e) { return Fail(e.Message); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(InstallException.Explain(e, root, null).Message);
            }
        });
        return command;
    }

    /// <summary>The running executable when it is the NativeAOT preinit; under the JIT (tests, dotnet run) it is the .NET host.</summary>
    internal static string? RunningBinary() => RuntimeFeature.IsDynamicCodeSupported ? null : Environment.ProcessPath;

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"Error: {message}");
        return 1;
    }
}
