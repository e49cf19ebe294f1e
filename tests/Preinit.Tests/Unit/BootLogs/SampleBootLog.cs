// A boot log as BootLogFile writes it (both stages, hook functions, a nested hook, a failed optional
// step, notes and a multi-line exception), for the timeline and the log verb.
namespace Preinit.Tests.Unit.BootLogs;

public static class SampleBootLog
{
    public const string Text = """
        [   3.100] preinit 1.0 stage 1 (/init), PID 1
        [   3.112] mount proc on /proc (12 ms)
        [   3.400] load kernel modules loop, fs-ext2 (260 ms)
        [   3.600] write the root image /.preinit-root.img (written directly, headroom auto) (170 ms)
        [   3.601] switch_root to /.preinit-root and exec /etc/preinit
        [   4.000] preinit 1.0 stage 2 (/etc/preinit), PID 1
        [   4.010] do_mount_procfs: mount proc on /proc (2 ms)
        [   4.020] do_mount_tmpfs: save the boot log to /tmp/preinit.log (0 ms)
        [   4.700] init_hotplug: load the drivers of the hardware present (610 ms)
        [   4.705] warning: preinit_ip: bring up eth9 failed after 4 ms: no such interface; continuing
        [   8.720] failsafe_wait: wait 4 s for the failsafe key (4010 ms)
        [   8.900] LABEL=rootfs_data is /dev/sda (ext4), found after 120 ms
        [   9.300] determine_external_root: find the extroot stick (/etc/config/fstab) (560 ms)
        System.Exception: a multi-line
           at somewhere (1 ms)
        [   9.500] external_root_pivot: make the stick the root (190 ms)
        [   9.501] do_mount_extroot: run hook preinit_mount_extroot (760 ms)
        [   9.600] run_init: - init - (1 ms)
        [   9.610] saving this boot's log as /storage/.preinit/boots/0002-20261207-052324.log, then init (/sbin/init)
        [   9.650] run_init: save this boot's log on the stick in use (40 ms)
        [   9.651] run_init: exec /sbin/init with PATH=/usr/sbin:/usr/bin:/sbin:/bin
        """;

    public static string[] Lines => Text.Split('\n');
}
