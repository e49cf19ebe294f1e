// `preinit install ROOTFS [--uninstall]`: drops preinit into an existing rootfs directory
// (RootfsInstaller) or puts the rootfs back as it was (RootfsUninstaller). One line per path.
using System.CommandLine;
using System.Runtime.CompilerServices;
using Preinit.Boot.Install;

namespace Preinit.Cli.Verbs;

public sealed class InstallVerb : Verb
{
    public Argument<string> Rootfs { get; } = new("ROOTFS") { Description = "the rootfs directory " +
        "(an unpacked initramfs tree) to put preinit into" };
    public Option<bool> Uninstall { get; } = new("--uninstall") { Description = "undo an earlier install: " +
        "remove what it created, put back what it moved aside" };
    public Option<string?> Binary { get; } = new("--binary") { Description = "the preinit executable to install (default: this one)" };

    public InstallVerb() : base("install", "put preinit into a rootfs: /sbin/preinit, its libc files, " +
        "/init and /etc/preinit, default settings and fstab")
    {
        Add(Rootfs);
        Add(Uninstall);
        Add(Binary);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var root = result.GetValue(Rootfs)!;
        try
        {
            if (result.GetValue(Uninstall))
            {
                if (result.GetValue(Binary) is not null) return Fail(error, "--binary goes with installing, not with --uninstall");
                var kept = RootfsUninstaller.Uninstall(root, output.WriteLine);
                output.WriteLine(kept == 0 ? $"preinit uninstalled: {root} is as it was before"
                    : $"preinit uninstalled, but {kept} paths were kept (listed above): {root} is not quite as it was before");
                return 0;
            }
            var executable = result.GetValue(Binary) ?? RunningBinary()
                ?? throw new InstallException($"this is not the published preinit but the .NET host ({Environment.ProcessPath}): " +
                    "give the binary with --binary out/preinit");
            RootfsInstaller.Install(root, executable, output.WriteLine);
            return 0;
        }
        catch (InstallException e) { return Fail(error, e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, InstallException.Explain(e, root, null).Message);
        }
    }

    /// <summary>The running executable when it is the NativeAOT preinit; under the JIT (tests, dotnet run) it is the .NET host.</summary>
    internal static string? RunningBinary() => RuntimeFeature.IsDynamicCodeSupported ? null : Environment.ProcessPath;
}
