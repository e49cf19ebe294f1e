// How this machine booted: legacy BIOS or UEFI, and whether Secure Boot is on (then the kernel is
// locked down and loads only modules signed for it). One line in the boot log, so a report from a
// PC that behaves differently says which path it took.
namespace Preinit.Boot.Kernel;

public static class Firmware
{
    /// <summary>Secure Boot as the EFI stub recorded it in boot_params.secure_boot (offset 0x1EC of
    /// /sys/kernel/boot_params/data; arch/x86/include/uapi/asm/bootparam.h): 3 is efi_secureboot_mode_enabled.</summary>
    public static bool SecureBootOn(string sysRoot = "/sys")
    {
        const int SecureBootOffset = 0x1EC, Enabled = 3;
        try
        {
            var data = File.ReadAllBytes(Path.Combine(sysRoot, "kernel/boot_params/data"));
            return data.Length > SecureBootOffset && data[SecureBootOffset] == Enabled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>"UEFI, Secure Boot on (...)", "UEFI, Secure Boot off" or "legacy BIOS" (no /sys/firmware/efi).</summary>
    public static string Describe(string sysRoot = "/sys") =>
        !Directory.Exists(Path.Combine(sysRoot, "firmware/efi")) ? "legacy BIOS"
        : SecureBootOn(sysRoot) ? "UEFI, Secure Boot on (the kernel is locked down: only modules signed for it load)"
        : "UEFI, Secure Boot off";
}
