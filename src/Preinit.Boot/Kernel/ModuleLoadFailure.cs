// Why the kernel refused a module, in words: finit_module(2)'s errno alone ("Key was rejected by
// service") does not tell a user that Secure Boot's lockdown only lets signed modules in. The
// errnos are those of kernel/module/main.c and signing.c (6.1).
using Preinit.Interop;

namespace Preinit.Boot.Kernel;

public sealed class ModuleLoadException(string module, string reason, int errno)
    : IOException($"{module}: {reason} (finit_module: {Libc.StrError(errno)}, {Preinit.Interop.Errno.Name(errno)})")
{
    public int Error { get; } = errno;
}

public static class ModuleLoadFailure
{
    public static string Reason(int errno, bool secureBoot) => errno switch
    {
        Errno.EKEYREJECTED when secureBoot =>
            "rejected: unsigned module under Secure Boot lockdown (only modules signed for this kernel load: use the kernel's own " +
            "modules, or turn Secure Boot off in the firmware setup)",
        Errno.EKEYREJECTED => "rejected: its signature is missing or does not verify, and this kernel only loads signed modules",
        Errno.EPERM when secureBoot => "refused: the kernel is locked down (Secure Boot) and the module is not signed for it",
        Errno.EPERM => "refused: loading modules is not allowed here (it needs root with CAP_SYS_MODULE, and " +
            "/proc/sys/kernel/modules_disabled must be 0)",
        Errno.ENOKEY => "rejected: signed with a key this kernel does not trust",
        Errno.EBADMSG => "rejected: its signature is damaged",
        Errno.ENOPKG => "rejected: signed with an algorithm this kernel lacks",
        Errno.ENOEXEC => "not a module for this kernel (built for another kernel version or architecture: the modules must come " +
            "from the package of the running kernel)",
        Errno.ENOENT => "a symbol it needs is missing (a module it depends on is absent or from another build; dmesg names it)",
        Errno.EINVAL => "the kernel rejected the module or its parameters (dmesg says why)",
        Errno.ENOMEM => "not enough memory to load it",
        Errno.EBUSY => "busy: the module is being loaded or unloaded right now",
        Errno.ENODEV => "its driver found no hardware it supports",
        Errno.ETXTBSY or Errno.EFBIG => "the module file is open for writing, or too large",
        _ => "the kernel refused it",
    };
}
