// mklive's last step: one hybrid ISO for every firmware. Legacy BIOS boots isolinux (the first El
// Torito image from a CD, isohdpfx.bin's MBR code from a stick); UEFI boots a FAT image holding
// Debian's signed shim as EFI/BOOT/BOOTX64.EFI, which loads Debian's signed GRUB beside it (the
// second El Torito image from a CD, an MBR/GPT partition from a stick), so Secure Boot goes shim,
// GRUB, the kernel. Both menus come from one table (BootMenu). The tools are the real ones:
// xorriso, mkfs.vfat and mtools; the loaders come from Debian's packages.
using Preinit.Boot.Platform;
using Preinit.Core.Live;

namespace Preinit.Boot.Live;

public static class HybridIso
{
    private const string Isolinux = "/usr/lib/ISOLINUX", SyslinuxModules = "/usr/lib/syslinux/modules/bios";
    private static readonly string[] IsolinuxModules = ["ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32"];

    /// <summary>Signed EFI binaries, under the directory given (/ when the packages are installed): file, name in EFI/BOOT.</summary>
    private static readonly (string File, string Name, string Package)[] EfiFiles =
    [
        ("usr/lib/shim/shimx64.efi.signed", "BOOTX64.EFI", "shim-signed"),
        ("usr/lib/shim/mmx64.efi.signed", "mmx64.efi", "shim-helpers-amd64-signed"),
        ("usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed", "grubx64.efi", "grub-efi-amd64-signed"),
    ];

    /// <summary>Every tool and loader file, checked before anything is built: one line per missing thing.</summary>
    public static IReadOnlyList<string> Missing(string efiRoot)
    {
        var missing = new List<string>();
        foreach (var (tool, package) in new[] { ("xorriso", "xorriso"), ("mkfs.vfat", "dosfstools"), ("mmd", "mtools"),
            ("mcopy", "mtools") })
            if (ChildProcess.Find(tool) is null) missing.Add($"{tool} (apt-get install {package})");
        foreach (var file in new[] { Path.Combine(Isolinux, "isolinux.bin"), Path.Combine(Isolinux, "isohdpfx.bin") })
            if (!File.Exists(file)) missing.Add($"{file} (apt-get install isolinux)");
        foreach (var module in IsolinuxModules)
            if (!File.Exists(Path.Combine(SyslinuxModules, module)))
                missing.Add($"{Path.Combine(SyslinuxModules, module)} (apt-get install syslinux-common)");
        foreach (var (file, _, package) in EfiFiles)
            if (!File.Exists(Path.Combine(efiRoot, file)))
                missing.Add($"{Path.Combine(efiRoot, file)} (apt-get install {package}, or give --efi DIR where its .deb is unpacked)");
        return missing;
    }

    public static void Write(string tree, string kernel, string initramfs, BootMenu menu, string append, string efiRoot, string output)
    {
        if (Directory.Exists(tree)) Directory.Delete(tree, recursive: true);
        foreach (var d in new[] { "isolinux", "boot/grub", ".disk" }) Directory.CreateDirectory(Path.Combine(tree, d));
        File.Copy(Path.Combine(Isolinux, "isolinux.bin"), Path.Combine(tree, "isolinux", "isolinux.bin"));
        foreach (var module in IsolinuxModules) File.Copy(Path.Combine(SyslinuxModules, module), Path.Combine(tree, "isolinux", module));
        File.WriteAllText(Path.Combine(tree, "isolinux", "isolinux.cfg"), menu.Isolinux("preinit Live image", append));
        File.WriteAllText(Path.Combine(tree, "boot", "grub", "grub.cfg"), menu.Grub(append));
        // What GRUB searches for to find the disk it booted from.
        File.WriteAllText(Path.Combine(tree, ".disk", "info"), "preinit Live image\n");
        WriteEfiImage(Path.Combine(tree, "boot", "efiboot.img"), efiRoot);
        File.Copy(kernel, Path.Combine(tree, "boot", "vmlinuz"));
        File.Copy(initramfs, Path.Combine(tree, "boot", "initramfs.gz"));
        var temporary = output + ".tmp";
        Run("xorriso", "-as", "mkisofs", "-quiet", "-o", temporary, "-V", "PREINIT_LIVE", "-R", "-J",
            "-isohybrid-mbr", Path.Combine(Isolinux, "isohdpfx.bin"),
            "-c", "isolinux/boot.cat", "-b", "isolinux/isolinux.bin", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
            "-eltorito-alt-boot", "-e", "boot/efiboot.img", "-no-emul-boot", "-isohybrid-gpt-basdat", tree);
        File.Move(temporary, output, overwrite: true);
    }

    /// <summary>The El Torito EFI image: a FAT file system just large enough, written with mtools without mounting it.</summary>
    private static void WriteEfiImage(string image, string efiRoot)
    {
        long kib = 256; // the FAT and its directories
        foreach (var (file, _, _) in EfiFiles) kib += new FileInfo(Path.Combine(efiRoot, file)).Length / 1024 + 4;
        kib = (kib + 1023) / 1024 * 1024;
        Run("mkfs.vfat", "-C", "-n", "EFIBOOT", image, kib.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Run("mmd", "-i", image, "::/EFI", "::/EFI/BOOT");
        foreach (var (file, name, _) in EfiFiles) Run("mcopy", "-i", image, Path.Combine(efiRoot, file), $"::/EFI/BOOT/{name}");
    }

    private static void Run(string tool, params string[] arguments)
    {
        var result = ChildProcess.Run(ChildProcess.Find(tool) ?? tool, arguments);
        if (result.ExitCode != 0)
            throw new LiveImageException($"{tool} exited with {result.ExitCode}: {string.Join("\n", result.Output.TakeLast(10))}");
    }
}
