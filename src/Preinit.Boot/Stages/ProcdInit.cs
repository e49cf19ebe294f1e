// Today's OpenWrt (procd, since 2013): the kernel runs procd's own /sbin/init, which mounts /proc,
// /sys, /dev and /tmp, runs `/bin/sh /etc/preinit` as its child with PREINIT=1 and waits for it,
// then execs /sbin/procd (procd initd/init.c, initd/preinit.c). So in such a rootfs /etc/preinit
// must be a shell script, and stage 2 must exit when done instead of exec'ing init: an init started
// there would be a second one. In failsafe mode it exits only once /tmp/sysupgrade appears, which is
// how sysupgrade hands the machine to procd's init to flash it.
using Preinit.Interop;

namespace Preinit.Boot.Stages;

public static class ProcdInit
{
    public const string Variable = "PREINIT", Procd = "/sbin/procd", SysupgradeFile = "/tmp/sysupgrade";

    /// <summary>/etc/preinit for a rootfs with procd: OpenWrt's own guard line, then preinit (PREINIT stays set).</summary>
    public const string PreinitScript = """
        #!/bin/sh
        # preinit for procd's init (written by `preinit install`; `preinit install --uninstall /` puts
        # OpenWrt's own back). procd's init runs this with PREINIT=1 as its child and waits for it;
        # run without PREINIT (as the kernel's init, or by preinit's /init), it starts procd's init.
        [ -z "$PREINIT" ] && exec /sbin/init
        exec /sbin/preinit

        """;

    /// <summary>This process is procd's init's child running /etc/preinit: not PID 1, with PREINIT=1.</summary>
    public static bool IsOurParent(int pid, string? preinitVariable) => pid != 1 && preinitVariable == "1";

    public static bool IsOurParent() => IsOurParent(Libc.Getpid(), Environment.GetEnvironmentVariable(Variable));

    /// <summary>Whether the rootfs at <paramref name="root"/> boots through procd's init: it has /sbin/procd.</summary>
    public static bool InRootfs(string root) => Libc.TryLstat(Path.Join(root, Procd), out _);
}
