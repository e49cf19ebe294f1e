// `preinit mklive ROOTFS OUTPUT.iso`: a bootable Live image (hybrid ISO for BIOS and UEFI) from a
// rootfs directory or .tar.gz, with preinit installed and the kernel modules boot needs
// (LiveImageBuilder). Progress on stdout; what stops it on stderr, beginning "Error:".
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Install;
using Preinit.Boot.Live;

namespace Preinit.Cli.Verbs;

public sealed class MkliveVerb : Verb
{
    public Argument<string> Rootfs { get; } = new("ROOTFS") { Description = "the rootfs: a directory, or a .tar.gz of one " +
        "(as OpenWrt's rootfs archives)" };
    public Argument<string> Output { get; } = new("OUTPUT") { Description = "the ISO to write (boots a legacy BIOS and UEFI, " +
        "with Secure Boot, from a CD or a stick)" };
    public Option<string?> Kernel { get; } = new("--kernel") { Description = "the kernel (bzImage); default: " +
        "the rootfs's own /boot/vmlinuz-*" };
    public Option<string?> Modules { get; } = new("--modules") { Description = "the directory holding the kernel's RELEASE/ modules; " +
        "default: the rootfs's own /lib/modules" };
    public Option<string> Efi { get; } = new("--efi") { Description = "where Debian's signed shim and GRUB are, below usr/lib/ " +
        "(default /, the installed packages)", DefaultValueFactory = _ => "/" };
    public Option<string> Append { get; } = new("--append") { Description = "kernel arguments every boot menu entry gets",
        DefaultValueFactory = _ => "" };
    public Option<string?> Work { get; } = new("--work") { Description = "keep the staging tree, the initramfs and the ISO tree in this " +
        "directory (default: a temporary one)" };
    public Option<string?> Binary { get; } = new("--binary") { Description = "the preinit executable to install (default: this one)" };

    public MkliveVerb() : base("mklive", "make a bootable Live image (hybrid ISO) from a rootfs directory or " +
        ".tar.gz, with preinit installed")
    {
        Add(Rootfs);
        Add(Output);
        Add(Kernel);
        Add(Modules);
        Add(Efi);
        Add(Append);
        Add(Work);
        Add(Binary);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        // The arguments first: a wrong path is the user's to fix before the machine's missing tools are.
        var rootfsPath = result.GetValue(Rootfs)!;
        var problem = (Directory.Exists(rootfsPath) ? InputPath.Directory(rootfsPath, "rootfs directory")
            : InputPath.File(rootfsPath, "rootfs directory or .tar.gz"))
            ?? InputPath.NewFile(result.GetValue(Output)!, "ISO");
        if (problem is not null) return Fail(error, problem);
        try
        {
            var executable = result.GetValue(Binary) ?? InstallVerb.RunningBinary()
                ?? throw new LiveImageException($"this is not the published preinit but the .NET host ({Environment.ProcessPath}): " +
                    "give the binary with --binary out/preinit");
            LiveImageBuilder.Build(new LiveImageRequest
            {
                Rootfs = rootfsPath,
                Output = Path.GetFullPath(result.GetValue(Output)!),
                Binary = executable,
                Kernel = result.GetValue(Kernel),
                Modules = result.GetValue(Modules),
                EfiRoot = result.GetValue(Efi)!,
                Append = result.GetValue(Append)!,
                Work = result.GetValue(Work) is { } w ? Path.GetFullPath(w) : null,
            }, output.WriteLine);
            return 0;
        }
        catch (Exception e) when (e is LiveImageException or InstallException or IOException or UnauthorizedAccessException
            or FormatException)
        {
            return Fail(error, e.Message);
        }
    }
}
