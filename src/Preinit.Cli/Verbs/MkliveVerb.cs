// `preinit mklive ROOTFS OUTPUT.iso`: a bootable Live image (hybrid ISO for BIOS and UEFI) from a
// rootfs directory or .tar.gz, with preinit installed and the kernel modules boot needs
// (LiveImageBuilder). Progress on stdout; what stops it on stderr, beginning "Error:".
using System.CommandLine;
using Preinit.Boot.Platform;
using Preinit.Boot.Install;
using Preinit.Boot.Live;

namespace Preinit.Cli.Verbs;

public static class MkliveVerb
{
    public static Command Create()
    {
        var rootfs = new Argument<string>("ROOTFS") { Description = "the rootfs: a directory, or a .tar.gz of one (as OpenWrt's rootfs archives)" };
        var output = new Argument<string>("OUTPUT") { Description = "the ISO to write (boots a legacy BIOS and UEFI, with Secure Boot, from a CD or a stick)" };
        var kernel = new Option<string?>("--kernel") { Description = "the kernel (bzImage); default: the rootfs's own /boot/vmlinuz-*" };
        var modules = new Option<string?>("--modules") { Description = "the directory holding the kernel's RELEASE/ modules; default: the rootfs's own /lib/modules" };
        var efi = new Option<string>("--efi") { Description = "where Debian's signed shim and GRUB are, below usr/lib/ (default /, the installed packages)", DefaultValueFactory = _ => "/" };
        var append = new Option<string>("--append") { Description = "kernel arguments every boot menu entry gets", DefaultValueFactory = _ => "" };
        var work = new Option<string?>("--work") { Description = "keep the staging tree, the initramfs and the ISO tree in this directory (default: a temporary one)" };
        var binary = new Option<string?>("--binary") { Description = "the preinit executable to install (default: this one)" };
        var command = new Command("mklive", "make a bootable Live image (hybrid ISO) from a rootfs directory or .tar.gz, with preinit installed")
        {
            rootfs, output, kernel, modules, efi, append, work, binary,
        };
        command.SetAction(result =>
        {
            // The arguments first: a wrong path is the user's to fix before the machine's missing tools are.
            var rootfsPath = result.GetValue(rootfs)!;
            var problem = (Directory.Exists(rootfsPath) ? InputPath.Directory(rootfsPath, "rootfs directory") : InputPath.File(rootfsPath, "rootfs directory or .tar.gz"))
                ?? InputPath.NewFile(result.GetValue(output)!, "ISO");
            if (problem is not null)
            {
                Console.Error.WriteLine($"Error: {problem}");
                return 1;
            }
            try
            {
                var executable = result.GetValue(binary) ?? InstallVerb.RunningBinary()
                    ?? throw new LiveImageException($"this is not the published preinit but the .NET host ({Environment.ProcessPath}): give the binary with --binary out/preinit");
                LiveImageBuilder.Build(new LiveImageRequest
                {
                    Rootfs = result.GetValue(rootfs)!,
                    Output = Path.GetFullPath(result.GetValue(output)!),
                    Binary = executable,
                    Kernel = result.GetValue(kernel),
                    Modules = result.GetValue(modules),
                    EfiRoot = result.GetValue(efi)!,
                    Append = result.GetValue(append)!,
                    Work = result.GetValue(work) is { } w ? Path.GetFullPath(w) : null,
                }, Console.WriteLine);
                return 0;
            }
            catch (Exception e) when (e is LiveImageException or InstallException or IOException or UnauthorizedAccessException or FormatException)
            {
                Console.Error.WriteLine($"Error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
