// The three test tiers. A tier whose prerequisites are missing skips on a developer machine, but
// with CI=true (or PREINIT_REQUIRE_ALL_TIERS=1) the test runs and fails, so a green CI means every
// tier ran.
using Xunit;

namespace Preinit.Tests.Support;

public static class Tier
{
    public static bool RequireAll =>
        Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("PREINIT_REQUIRE_ALL_TIERS") == "1";

    /// <summary>Root tier: root, loop devices, and a mount namespace of our own (never the machine's).</summary>
    public static string? RootMissing()
    {
        if (Environment.UserName != "root" && Preinit.Interop.Libc.Geteuid() != 0) return "not root";
        if (!File.Exists("/dev/loop-control")) return "no /dev/loop-control";
        if (!PrivateMountNamespace()) return "not in a private mount namespace (run the tests through tests/run.sh, which uses unshare -m)";
        return null;
    }

    public static string? VmMissing()
    {
        if (Which("qemu-system-x86_64") is null) return "qemu-system-x86_64 not installed (./publish.sh deps)";
        foreach (var f in new[] { Paths.LiveIso, Paths.Kernel, Paths.Initramfs, Paths.PublishedBinary })
            if (!File.Exists(f)) return $"{f} missing (run ./publish.sh)";
        return null;
    }

    /// <summary>tests/run.sh records its own mount namespace, then runs the tests under unshare -m:
    /// ours must differ, so no mount a test makes can reach the machine's namespace.</summary>
    public static bool PrivateMountNamespace()
    {
        var outer = Environment.GetEnvironmentVariable("PREINIT_OUTER_MOUNT_NAMESPACE");
        try { return outer is { Length: > 0 } && File.ResolveLinkTarget("/proc/self/ns/mnt", false)?.ToString() != outer; }
        catch (IOException) { return false; }
    }

    // Test runners may start without the sbin directories on PATH, where mkfs, blkid and e2fsck live.
    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>Where <paramref name="program"/> is: on PATH, else in the
    /// system's sbin and bin directories; a path is taken as it is.</summary>
    public static string? Which(string program) =>
        program.Contains('/') ? (File.Exists(program) ? program : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories)
                .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    /// <summary>Why the tools cannot run (which are missing), or null when all are installed.</summary>
    public static string? ToolsMissing(params string[] tools)
    {
        var missing = tools.Where(t => Which(t) is null).ToList();
        return missing.Count == 0 ? null : $"{string.Join(", ", missing)} not installed (./publish.sh deps installs them)";
    }

    /// <summary>Called first in a tier's test: a missing prerequisite fails with
    /// the reason (only reached in CI; elsewhere the attribute skipped).</summary>
    public static void Require(string? missing)
    {
        if (missing is not null) Assert.Fail($"test tier prerequisite missing: {missing}");
    }
}

public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Tier.RequireAll && Tier.RootMissing() is { } why) Skip = $"root tier: {why}";
    }
}

public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Tier.RequireAll && Tier.RootMissing() is { } why) Skip = $"root tier: {why}";
    }
}

public sealed class VmFactAttribute : FactAttribute
{
    public VmFactAttribute()
    {
        Timeout = 0;
        if (!Tier.RequireAll && Tier.VmMissing() is { } why) Skip = $"VM tier: {why}";
    }
}

/// <summary>A fact that needs tools (mkfs, e2fsck, gcc, ...): skipped when one
/// is missing, unless CI=true (then it runs and fails).</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        if (!Tier.RequireAll && Tier.ToolsMissing(tools) is { } why) Skip = why;
    }
}

/// <summary>A theory that needs tools, as <see cref="ToolFactAttribute"/>.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        if (!Tier.RequireAll && Tier.ToolsMissing(tools) is { } why) Skip = why;
    }
}

/// <summary>A test of the published binary (out/preinit): tests/run.sh builds it first; a bare `dotnet test` without it skips.</summary>
public sealed class PublishedFactAttribute : FactAttribute
{
    public PublishedFactAttribute()
    {
        if (!Tier.RequireAll && !File.Exists(Paths.PublishedBinary)) Skip = $"{Paths.PublishedBinary} missing (run ./publish.sh build)";
    }
}
