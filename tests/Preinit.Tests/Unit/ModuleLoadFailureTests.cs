// A module the kernel refuses is explained in words, Secure Boot's lockdown above all.
using Preinit.Boot.Kernel;
using Preinit.Interop;
using Xunit;

namespace Preinit.Tests.Unit;

public class ModuleLoadFailureTests
{
    [Fact]
    public void UnsignedUnderSecureBoot_SaysSo()
    {
        var e = new ModuleLoadException("/lib/modules/6.1/extra/foo.ko", ModuleLoadFailure.Reason(Errno.EKEYREJECTED, secureBoot: true),
            Errno.EKEYREJECTED);

        Assert.StartsWith("/lib/modules/6.1/extra/foo.ko: rejected: unsigned module under Secure Boot lockdown", e.Message);
        Assert.EndsWith("(finit_module: Key was rejected by service, EKEYREJECTED)", e.Message);
    }

    [Theory]
    [InlineData(Errno.EKEYREJECTED, false, "this kernel only loads signed modules")]
    [InlineData(Errno.EPERM, true, "locked down (Secure Boot)")]
    [InlineData(Errno.EPERM, false, "CAP_SYS_MODULE")]
    [InlineData(Errno.ENOKEY, true, "key this kernel does not trust")]
    [InlineData(Errno.ENOEXEC, false, "not a module for this kernel")]
    [InlineData(Errno.ENOENT, false, "a symbol it needs is missing")]
    [InlineData(Errno.EINVAL, false, "dmesg says why")]
    [InlineData(Errno.ENODEV, false, "no hardware it supports")]
    public void EveryRefusal_HasWords(int errno, bool secureBoot, string words) =>
        Assert.Contains(words, ModuleLoadFailure.Reason(errno, secureBoot));

    [Fact]
    public void Firmware_IsReadFromSysfsAndBootParams()
    {
        var sys = Directory.CreateTempSubdirectory("preinit-sys.").FullName;
        try
        {
            Assert.False(Firmware.SecureBootOn(sys));   // no boot_params: BIOS, or not x86
            Assert.Equal("legacy BIOS", Firmware.Describe(sys));
            Directory.CreateDirectory(Path.Combine(sys, "firmware/efi"));
            Directory.CreateDirectory(Path.Combine(sys, "kernel/boot_params"));
            var data = new byte[4096];
            data[0x1EC] = 3;   // efi_secureboot_mode_enabled
            File.WriteAllBytes(Path.Combine(sys, "kernel/boot_params/data"), data);
            Assert.True(Firmware.SecureBootOn(sys));
            Assert.StartsWith("UEFI, Secure Boot on", Firmware.Describe(sys));
            data[0x1EC] = 2;   // disabled
            File.WriteAllBytes(Path.Combine(sys, "kernel/boot_params/data"), data);
            Assert.Equal("UEFI, Secure Boot off", Firmware.Describe(sys));
        }
        finally { Directory.Delete(sys, true); }
    }

    [Fact]
    public void Modprobe_AModuleFileThatIsNotThere_IsNamedOnce()
    {
        var (code, _, error) = Preinit.Tests.Support.Verbs.Run("modprobe", "/nonexistent/unsigned.ko");

        Assert.Equal(1, code);
        Assert.Equal("Error: /nonexistent/unsigned.ko: no such module file", error.Trim());
    }
}
