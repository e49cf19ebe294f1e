// The configuration restore (restore_config) fed mutated sysupgrade archives: the tar mutated and
// gzip'd again (so the tar reader sees the damage), and some with the gzip stream itself mutated.
// The example holds what an attacker would start from: "..", absolute names, a symlink out of the
// root and a member written through it, hard links, device nodes. For every case: no exception
// escapes, nothing appears or changes outside the root (a canary directory beside it stays as it
// was), and the archive is gone or renamed .failed, so no boot retries it.
using System.Formats.Tar;
using Preinit.Boot.Restore;
using Preinit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Preinit.Tests.Unit.Fuzz;

public class RestoreFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 2013;
    private static readonly int Cases = 400 * FuzzCases.Scale;

    private static byte[] Example() => TarGz.Tar(
        TarGz.Dir("etc/"),
        TarGz.Dir("etc/config/"),
        TarGz.RegularFile("etc/config/network", "config interface 'lan'\n\toption proto 'static'\n"),
        TarGz.RegularFile("etc/passwd", "root:x:0:0:root:/root:/bin/ash\n", (UnixFileMode)0b110_000_000),
        TarGz.Symlink("etc/localtime", "/usr/share/zoneinfo/UTC"),
        TarGz.HardLink("etc/passwd-", "etc/passwd"),
        TarGz.Symlink("escape", "../canary"),
        TarGz.RegularFile("escape/owned", "written through a symlink"),
        TarGz.RegularFile("../canary/dotdot", "written with .."),
        TarGz.RegularFile("/canary/absolute", "written with an absolute name"),
        TarGz.Node(TarEntryType.CharacterDevice, "dev/null", 1, 3),
        TarGz.Node(TarEntryType.Fifo, "etc/fifo"));

    [Fact]
    public void Restore_MutatedArchives_StayInsideTheRoot_AndNeverStayToBeRetried()
    {
        var tar = Example();
        var random = new Random(Seed);
        var fates = new Dictionary<ArchiveFate, int>();
        var restoredFiles = 0;
        for (var i = 0; i < Cases; i++)
        {
            // One case in eight damages the compressed stream instead of the tar inside it.
            var archiveBytes = i % 8 == 7 ? FuzzCases.Mutate(TarGz.Gzip(tar), random) : TarGz.Gzip(FuzzCases.Mutate(tar, random));
            var result = RestoreOne(archiveBytes, i);
            fates[result.Fate] = fates.GetValueOrDefault(result.Fate) + 1;
            restoredFiles += result.Files;
        }
        output.WriteLine($"{Cases} archives: {string.Join(", ", fates.Select(f => $"{f.Value} {f.Key}"))}; {restoredFiles} files restored");
        Assert.True(fates.GetValueOrDefault(ArchiveFate.RenamedFailed) > 0 && restoredFiles > 0,
            "the mutations never produced both a failed and a (partly) restored archive: they are not reaching the restore");
    }

    private static RestoreResult RestoreOne(byte[] archiveBytes, int i)
    {
        var scratch = Directory.CreateTempSubdirectory("preinit-restore-fuzz.").FullName;
        try { return RestoreOne(archiveBytes, i, scratch); }
        finally { Directory.Delete(scratch, recursive: true); }
    }

    private static RestoreResult RestoreOne(byte[] archiveBytes, int i, string scratch)
    {
        var root = Directory.CreateDirectory(Path.Combine(scratch, "root")).FullName;
        var canary = Directory.CreateDirectory(Path.Combine(scratch, "canary")).FullName;
        File.WriteAllText(Path.Combine(canary, "keep"), "untouched\n");
        var archive = Path.Combine(scratch, "sysupgrade.tgz");
        File.WriteAllBytes(archive, archiveBytes);
        var before = TreeSnapshot.Of(scratch, "root");

        RestoreResult result;
        try { result = SysupgradeArchive.Restore(archive, root, _ => { }); }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"case {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\narchive: " +
                $"{Convert.ToBase64String(archiveBytes)}");
        }

        var after = TreeSnapshot.Of(scratch, "root");
        // The scratch directory itself changes (the archive is removed or renamed); what is in it must not.
        foreach (var name in new[] { ".", "root", "sysupgrade.tgz" }) before.Remove(name);
        foreach (var name in new[] { ".", "root", "sysupgrade.tgz.failed" }) after.Remove(name);
        Assert.True(before.SequenceEqual(after), $"case {i} (seed {Seed}): something outside the root changed: " +
            string.Join(", ", after.Where(a => !before.TryGetValue(a.Key, out var b) || b != a.Value).Select(a => a.Key)));
        Assert.False(File.Exists(archive), $"case {i} (seed {Seed}): the archive was left in place ({result.Fate})");
        Assert.True(result.Fate is ArchiveFate.Removed or ArchiveFate.RenamedFailed, $"case {i}: {result.Fate}");
        return result;
    }
}
