// Whether boot checks the extroot stick before mounting it, and why: one decision, made here for
// the boot step and for `preinit extroot`, which says what boot would do.
using Preinit.Core.Configuration;
using Preinit.Core.Fstab;

namespace Preinit.Core.Fsck;

public static class ExtrootFsck
{
    public static (bool Check, string Why) Decide(FsckMode mode, FstabMount? entry, FstabGlobal? global) => mode switch
    {
        FsckMode.Force => (true, "preinit.fsck=force"),
        FsckMode.Off => (false, "preinit.fsck=off"),
        _ when entry is { EnabledFsck: true } => (true, "enabled_fsck 1"),
        _ when global is { CheckFs: true } => (true, "check_fs 1 in config global"),
        _ => (false, "neither enabled_fsck 1 in its section nor check_fs 1 in config global"),
    };
}
