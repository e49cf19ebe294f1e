// Files a stick or an archive controls, read at boot: a FIFO, a symlink to /dev/zero or a device node
// must neither hang the boot nor exhaust PID 1's memory. Each case runs with a time limit, so a
// regression fails instead of hanging the test run.
using Preinit.Boot.Extroot;
using Preinit.Boot.Hooks;
using Preinit.Boot.Restore;
using Preinit.Core.Hooks;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public sealed class HostileFilesTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-hostile.").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string At(string name) => Path.Combine(_dir, name);

    private static T Within<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(Limit), $"did not finish within {Limit.TotalSeconds} s (blocked on a FIFO, or reading without end)");
        return task.Result;
    }


    [Fact]
    public void IdentityRecordThatIsAFifo_CountsAsNoRecord()
    {
        Directory.CreateDirectory(At("upper/etc"));
        Tools.Run("mkfifo", StickIdentity.RecordFile(At("upper")));

        Assert.Null(Within(() => StickIdentity.Read(At("upper"))));
    }

    [Fact]
    public void IdentityRecord_IsWrittenOverAFifoLeftAtItsTemporaryName()
    {
        Directory.CreateDirectory(At("upper/etc"));
        Tools.Run("mkfifo", StickIdentity.RecordFile(At("upper")) + ".new");

        Within(() => { StickIdentity.Write(At("upper"), StickIdentity.Current()); return 0; });

        Assert.True(File.Exists(StickIdentity.RecordFile(At("upper"))));
    }

    [Fact]
    public void SeedThatIsASymlinkToDevZero_IsNotRead_AndIsReplacedByARegularFile()
    {
        var seed = At("urandom.seed");
        var victim = At("victim");
        File.WriteAllText(victim, "keep");
        File.CreateSymbolicLink(seed, "/dev/zero");
        File.CreateSymbolicLink(seed + ".new", victim);   // the temporary name, pointing elsewhere
        File.WriteAllBytes(At("urandom"), []);
        var notes = new StepNotes();

        Within(() => new UrandomSeedStep(seed, At("urandom"), "/dev/urandom").Run(notes));

        Assert.Contains(notes.Lines, l => l.Contains("is a symbolic link, not a regular file"));
        Assert.Equal(0, new FileInfo(At("urandom")).Length);
        Assert.False(new FileInfo(seed).LinkTarget is not null, "the seed is still a symlink");
        Assert.Equal(512, new FileInfo(seed).Length);
        Assert.Equal("keep", File.ReadAllText(victim));
    }

    [Fact]
    public void SysupgradeArchiveThatIsAFifo_IsSetAsideAsFailed()
    {
        var archive = At("sysupgrade.tgz");
        Tools.Run("mkfifo", archive);
        Directory.CreateDirectory(At("root"));
        var log = new List<string>();

        var result = Within(() => SysupgradeArchive.Restore(archive, At("root"), log.Add));

        Assert.Contains(result.Problems, p => p.Contains("is a FIFO, not a regular file"));
        Assert.False(File.Exists(archive));
        Assert.True(File.Exists(archive + SysupgradeArchive.FailedSuffix));
    }
}
