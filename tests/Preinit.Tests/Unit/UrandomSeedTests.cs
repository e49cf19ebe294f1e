// The sample module: a saved seed is mixed in and replaced by a fresh one; the first boot saves one.
using Preinit.Boot.Hooks;
using Preinit.Core.Hooks;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public sealed class UrandomSeedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("preinit-seed.").FullName;

    public void Dispose() => Directory.Delete(_dir, true);


    [Fact]
    public void SavedSeed_IsWrittenToUrandom_AndReplaced()
    {
        var seed = Path.Combine(_dir, "urandom.seed");
        var urandom = Path.Combine(_dir, "urandom");
        var old = Enumerable.Range(0, 600).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(seed, old);
        File.WriteAllBytes(urandom, []);
        var notes = new StepNotes();

        new UrandomSeedStep(seed, urandom, "/dev/urandom").Run(notes);

        Assert.Equal(old[..512], File.ReadAllBytes(urandom));
        var fresh = File.ReadAllBytes(seed);
        Assert.Equal(512, fresh.Length);
        Assert.NotEqual(old[..512], fresh);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(seed));
        Assert.Contains($"mixed 512 bytes of {seed} into {urandom}", notes.Lines);
    }

    [Fact]
    public void NoSeedYet_SavesOne()
    {
        var seed = Path.Combine(_dir, "urandom.seed");
        var notes = new StepNotes();
        new UrandomSeedStep(seed, Path.Combine(_dir, "urandom"), "/dev/urandom").Run(notes);
        Assert.Equal(512, new FileInfo(seed).Length);
        Assert.Contains(notes.Lines, l => l.StartsWith("no ") && l.Contains("first boot"));
    }
}
