// fstab-style mount options ("rw,sync,noatime,errors=remount-ro") split into mount(2) flags and
// the data string the filesystem itself reads, as mount(8) does. Where OpenWrt's block.c differs
// (acl, noacl, user_xattr, nouser_xattr; defaults, lazytime), the README's "Differences on purpose"
// says why.
namespace Preinit.Core.Configuration;

public readonly record struct MountOptions(ulong Flags, string? Data)
{
    // Values of MS_* from linux/mount.h (checked against the header in the interop tests).
    private const ulong RdOnly = 1, NoSuid = 2, NoDev = 4, NoExec = 8, Synchronous = 16, MandLock = 64, DirSync = 128,
        NoAtime = 1024, NoDirAtime = 2048, RelAtime = 1 << 21, StrictAtime = 1 << 24, LazyTime = 1 << 25;

    private static readonly Dictionary<string, (ulong Set, ulong Clear)> Known = new()
    {
        ["ro"] = (RdOnly, 0), ["rw"] = (0, RdOnly),
        ["nosuid"] = (NoSuid, 0), ["suid"] = (0, NoSuid),
        ["nodev"] = (NoDev, 0), ["dev"] = (0, NoDev),
        ["noexec"] = (NoExec, 0), ["exec"] = (0, NoExec),
        ["sync"] = (Synchronous, 0), ["async"] = (0, Synchronous),
        ["dirsync"] = (DirSync, 0),
        // As block.c: flags, not words for the filesystem (which would refuse them; the kernel ignores MS_MANDLOCK today).
        ["mand"] = (MandLock, 0), ["nomand"] = (0, MandLock),
        ["noatime"] = (NoAtime, 0), ["atime"] = (0, NoAtime),
        ["nodiratime"] = (NoDirAtime, 0), ["diratime"] = (0, NoDirAtime),
        ["relatime"] = (RelAtime, 0), ["norelatime"] = (0, RelAtime),
        ["strictatime"] = (StrictAtime, 0), ["lazytime"] = (LazyTime, 0), ["nolazytime"] = (0, LazyTime),
        ["defaults"] = (0, 0), ["auto"] = (0, 0), ["noauto"] = (0, 0), ["nofail"] = (0, 0),
    };

    public bool ReadOnly => (Flags & RdOnly) != 0;

    public static MountOptions Parse(string? text)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (var option in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Known.TryGetValue(option, out var f)) flags = (flags | f.Set) & ~f.Clear;
            else data.Add(option);
        }
        return new MountOptions(flags, data.Count == 0 ? null : string.Join(',', data));
    }

    public MountOptions WithReadOnly() => this with { Flags = Flags | RdOnly };
}
