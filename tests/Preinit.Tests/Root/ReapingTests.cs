// As PID 1 preinit is the parent of every orphan: a hook function's background job that outlives
// it must not stay a zombie. preinit runs as PID 1 of a PID namespace of the test's own.
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Root;

public sealed class ReapingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-reap.").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RootFact]
    public void AsPid1_TheOrphanOfAHookFunction_IsReaped()
    {
        Tier.Require(Tier.RootMissing());
        var zombies = Path.Combine(_dir, "zombies");
        var hooks = Directory.CreateDirectory(Path.Combine(_dir, "hooks")).FullName;
        // The subshell leaves `sleep` behind: it is handed to PID 1 and ends 0.2 s later, while preinit waits for `count`.
        File.WriteAllText(Path.Combine(hooks, "50_orphan"), "orphan() { (sleep 0.2 &); }\nboot_hook_add preinit_mount_root orphan\n");
        File.WriteAllText(Path.Combine(hooks, "60_count"),
            $"count() {{ sleep 2; cat /proc/[0-9]*/stat 2>/dev/null | grep -c ') Z ' > {zombies}; }}\n" +
                "boot_hook_add preinit_mount_root count\n");

        Tools.Run("unshare", "--pid", "--fork", "--mount-proc", Paths.PublishedBinary,
            "run-hook", "preinit_mount_root", "--hook-dir", hooks, "--cmdline", "");

        Assert.Equal("0", File.ReadAllText(zombies).Trim());
    }
}
