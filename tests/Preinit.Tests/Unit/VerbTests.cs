// The debugging verbs, run in-process on given settings: what they print is what users read.
using Preinit.Cli.Verbs;
using Xunit;

namespace Preinit.Tests.Unit;

public class VerbTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Support.Verbs.Run(args);

    private static string Conf(string text)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Cmdline_ShowsEachValueWithItsSource_AndWarnsAboutUnknownKeys()
    {
        var conf = Conf("pi_init_path=/bin:/sbin\nbroken line\n");
        var (code, output, error) = Run("cmdline", "--cmdline", "quiet init=/bin/sh preinit.headroom=8M preinit.nope", "--conf", conf);
        Assert.Equal(0, code);
        Assert.Matches(@"pi_init_cmd\s+/bin/sh\s+\(kernel command line\)", output);
        Assert.Matches(@"headroom\s+8M\s+\(kernel command line\)", output);
        Assert.Matches($@"pi_init_path\s+/bin:/sbin\s+\({Regex(conf)}:1\)", output);
        Assert.Matches(@"loop\s+1\s+\(built-in default\)", output);
        Assert.Contains("unknown kernel command line key preinit.nope", error);
        Assert.Contains($"{conf}:2: not a variable assignment", error);
        File.Delete(conf);
    }

    [Fact]
    public void Cmdline_RejectedValues_ShowTheValueInForceWithTheRejectedTextBeside()
    {
        var (code, output, error) = Run("cmdline", "--cmdline", "preinit.headroom=-5 preinit.wait=abc preinit.extroot=LABEL=", "--conf",
            "/nonexistent");
        Assert.Equal(0, code);
        Assert.Matches(@"headroom\s+auto\s+\(kernel command line gave -5: rejected\)", output);
        Assert.Matches(@"wait\s+15\s+\(kernel command line gave abc: rejected\)", output);
        Assert.Matches(@"extroot\s+off\s+\(kernel command line gave LABEL=: rejected\)", output);
        Assert.Contains("Warning: extroot='LABEL=' is not fstab, off or a device spec", error);
        Assert.Contains("Warning: wait='abc' is not a number of seconds (0 to 3600); using 15", error);
    }

    [Fact]
    public void Plan_ListsStageOneAndStageTwoSteps_AndTheLoopSwitchChangesIt()
    {
        var (_, withLoop, _) = Run("plan", "--cmdline", "preinit.headroom=2M", "--conf", "/nonexistent");
        Assert.Contains("load kernel modules loop, fs-ext2", withLoop);
        Assert.Contains("(written directly, headroom 2M)", withLoop);
        Assert.Contains("switch_root to /.preinit-root and exec /etc/preinit", withLoop);
        Assert.Contains("preinit_main/run_init: exec /sbin/init", withLoop);
        Assert.Contains("    preinit_mount_extroot/determine_external_root: find, check and mount the stick as planned: extroot: ",
            withLoop);
        // Every hook is in the plan, those only some boots run with when they run.
        Assert.Contains("  failsafe (in failsafe mode, from run_failsafe_hook):\n    failsafe/failsafe_ip:", withLoop);
        Assert.Contains("  initramfs (on the initramfs, from initramfs_test):\n    (no functions)", withLoop);

        var (_, noLoop, _) = Run("plan", "--cmdline", "preinit.loop=0 preinit.shell", "--conf", "/nonexistent");
        Assert.DoesNotContain("switch_root", noLoop);
        Assert.Contains("exec /etc/preinit in place", noLoop);
        Assert.Contains("preinit_main/preinit_shell:", noLoop);
    }

    [Fact]
    public void Hooks_ListsEveryHookWithItsFunctionsInOrder()
    {
        var (code, output, _) = Run("hooks", "--cmdline", "", "--conf", "/nonexistent/00_preinit.conf");
        Assert.Equal(0, code);
        Assert.Equal(["do_mount_procfs", "do_mount_sysfs", "do_mount_tmpfs", "choose_device_fs", "init_device_fs", "init_shm", "init_pts",
            "do_mount_pts", "choose_console", "init_console"], FunctionsOf(output, "preinit_essential"));
        Assert.Equal(["init_hotplug", "preinit_ip", "pi_indicate_preinit", "failsafe_wait", "run_failsafe_hook", "indicate_regular_preinit",
            "initramfs_test", "do_mount_extroot", "do_swapon", "do_mount_root", "restore_config", "do_urandom_seed", "run_init"],
            FunctionsOf(output, "preinit_main"));
        Assert.Equal(["failsafe_ip", "indicate_failsafe", "failsafe_netlogin", "failsafe_shell"], FunctionsOf(output, "failsafe"));
        Assert.Equal(["determine_external_root", "external_root_pivot"], FunctionsOf(output, "preinit_mount_extroot"));
        Assert.Equal(["ramoverlay"], FunctionsOf(output, "preinit_mount_root"));
        Assert.Matches(@"run_init\s+99_10_run_init\s+C# RunInitModule", output);
    }

    /// <summary>The function names `preinit hooks` lists under one hook, in order.</summary>
    private static List<string> FunctionsOf(string hooksOutput, string hook) =>
        hooksOutput.Split('\n').SkipWhile(l => l != hook + ":").Skip(1).TakeWhile(l => l.StartsWith("  "))
            .Select(l => l.Trim().Split(' ')[0]).ToList();

    [Fact]
    public void BuildRoot_MissingSourceOrBadHeadroom_SaysWhatIsWrong()
    {
        var (code, _, error) = Run("build-root", "--from", "/no/such/dir", "--image", "/tmp/x.img");
        Assert.Equal(1, code);
        Assert.Contains("Error: --from /no/such/dir: no such directory", error);
        (code, _, error) = Run("build-root", "--from", "/tmp", "--image", "/tmp/x.img", "--headroom", "lots");
        Assert.Equal(1, code);
        Assert.Contains("--headroom 'lots' is not a size", error);
    }

    [Fact]
    public void Uci_ShippedFstab_GetsTheStickLabel_AtSignIsNotAResponseFile()
    {
        var fstab = Path.Combine(Preinit.Tests.Support.Paths.Repository, "rootfs-overlay/etc/config/fstab");
        var (code, output, _) = Run("uci", "get", fstab, "@mount[0].label");
        Assert.Equal(0, code);
        Assert.Equal("rootfs_data", output.Trim());
        (code, output, _) = Run("uci", "show", fstab);
        Assert.Contains("fstab.@mount[0].is_rootfs='1'", output);
    }

    [Fact]
    public void Extroot_ShowsTheFstabEntryAndWhetherFsckRuns_OrThatItIsOff()
    {
        var fstab = Path.Combine(Preinit.Tests.Support.Paths.Repository, "rootfs-overlay/etc/config/fstab");
        var (_, output, _) = Run("extroot", "--fstab", fstab, "--cmdline", "quiet");
        Assert.Contains($"extroot: LABEL=rootfs_data from fstab.@mount[0] ({fstab}:6): the overlay's upper layer, " +
            "mounted on /storage with rw,sync", output);
        Assert.Contains("fsck: yes (enabled_fsck 1)", output);
        (_, output, _) = Run("extroot", "--fstab", fstab, "--cmdline", "preinit.extroot=off");
        Assert.Contains("extroot: none: preinit.extroot=off", output);
        (_, output, _) = Run("extroot", "--fstab", fstab, "--cmdline", "preinit.extroot=UUID=1234-ABCD preinit.fsck=off");
        Assert.Contains("extroot: UUID=1234-ABCD from preinit.extroot on the kernel command line, " +
            $"with the target and options of fstab.@mount[0] ({fstab}:6)", output);
        Assert.Contains("fsck: no (preinit.fsck=off)", output);
    }

    [Fact]
    public void Extroot_CheckFsInConfigGlobal_SaysFsckRunsAsBootRunsIt()
    {
        var fstab = Conf("config global\n\toption check_fs 1\nconfig mount\n\toption label rootfs_data\n\toption target /overlay\n");
        var (_, output, _) = Run("extroot", "--fstab", fstab, "--cmdline", "quiet");
        Assert.Contains("fsck: yes (check_fs 1 in config global)", output);
        File.WriteAllText(fstab, "config mount\n\toption label rootfs_data\n\toption target /overlay\n");
        (_, output, _) = Run("extroot", "--fstab", fstab, "--cmdline", "quiet");
        Assert.Contains("fsck: no (neither enabled_fsck 1 in its section nor check_fs 1 in config global)", output);
        File.Delete(fstab);
    }

    private static string Regex(string s) => System.Text.RegularExpressions.Regex.Escape(s);
}
