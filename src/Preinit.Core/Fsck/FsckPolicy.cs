// What a checker's exit status means for the boot. fsck(8) status bits: 1 errors corrected,
// 2 corrected but the system should be rebooted, 4 errors left uncorrected, 8 operational error,
// 16 usage error, 32 cancelled, 128 shared library error. The 2011 wrapper's policy, made safe:
// 0 and 1 go on; 2 reboots once; 4 means the stick is not written to; 8 and above skip it.
namespace Preinit.Core.Fsck;

public enum FsckAction
{
    /// <summary>Clean, or repaired: mount as configured.</summary>
    Continue,
    /// <summary>Repaired, and the checker asks for a reboot before the filesystem is used.</summary>
    Reboot,
    /// <summary>Errors are left: do not write to the stick (mount it read-only, or use the volatile root).</summary>
    ReadOnly,
    /// <summary>The check did not happen: leave the stick alone and say why.</summary>
    Skip,
}

public sealed record FsckVerdict(FsckAction Action, string Meaning);

public static class FsckPolicy
{
    public const int Corrected = 1, RebootNeeded = 2, Uncorrected = 4, OperationalError = 8, UsageError = 16,
        Cancelled = 32, LibraryError = 128;

    public static FsckVerdict For(int status)
    {
        if (status == 0) return new(FsckAction.Continue, "no errors");
        if ((status & ~(Corrected | RebootNeeded | Uncorrected)) != 0)
            return new(FsckAction.Skip, status switch
            {
                _ when (status & LibraryError) != 0 => "the checker could not load a shared library",
                _ when (status & Cancelled) != 0 => "the check was cancelled",
                _ when (status & UsageError) != 0 => "the checker was called wrongly (usage error)",
                _ when (status & OperationalError) != 0 =>
                    "operational error: the checker could not check the device (unreadable, or not this filesystem)",
                _ => $"unknown status {status}",
            } + "; check not complete");
        if ((status & Uncorrected) != 0) return new(FsckAction.ReadOnly, "errors left uncorrected");
        if ((status & RebootNeeded) != 0) return new(FsckAction.Reboot, "errors corrected; the checker asks for a reboot");
        return new(FsckAction.Continue, "errors corrected");
    }
}
