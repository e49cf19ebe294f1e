// 81_urandom_seed, the sample plug-in module (OpenWrt has a hook file of the same name): after the
// root is mounted, /etc/urandom.seed (on the stick, with extroot) is mixed into /dev/urandom, and a
// fresh seed is saved for the next boot. A module is this: a class with a Name that places it in
// the glob order, a Register that adds functions to hooks, and one AddSingleton line in PreinitHost.
using Preinit.Boot.Platform;
using Preinit.Core.Hooks;
using Preinit.Interop;

namespace Preinit.Boot.Hooks;

public sealed class UrandomSeedModule : IPreinitModule
{
    public string Name => "81_urandom_seed";

    public void Register(HookRegistrar hooks) =>
        hooks.Add(HookNames.PreinitMain, "do_urandom_seed", new UrandomSeedStep());
}

/// <param name="Seed">The saved seed; writing it to /dev/urandom mixes it in without crediting entropy (random(4)).</param>
/// <param name="Source">Where the next seed comes from.</param>
public sealed record UrandomSeedStep(string Seed = "/etc/urandom.seed", string Urandom = "/dev/urandom", string Source = "/dev/urandom")
    : IBootStep
{
    public const int SeedBytes = 512;

    public bool Optional => true;

    public StepOutcome Run(IStepContext context)
    {
        byte[]? saved;
        // The seed may come from a stick: a symlink to /dev/zero or a FIFO must not hang or fill memory.
        try { saved = RegularFile.ReadCapped(Seed, SeedBytes); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Note($"{e.Message}; a new seed replaces it");
            saved = null;
        }
        if (saved is not null)
        {
            using (var random = new FileStream(Urandom, FileMode.Open, FileAccess.Write)) random.Write(saved);
            context.Note($"mixed {saved.Length} bytes of {Seed} into {Urandom}");
        }
        else if (!Libc.TryLstat(Seed, out _)) context.Note($"no {Seed} yet (the first boot with this root)");

        // From the kernel directly: System.Security.Cryptography would load OpenSSL, which the Live CD does not have.
        var fresh = new byte[SeedBytes];
        using (var random = new FileStream(Source, FileMode.Open, FileAccess.Read)) random.ReadExactly(fresh);
        var next = Seed + ".new";
        using (var stream = RegularFile.CreateNew(next)) stream.Write(fresh);
        File.SetUnixFileMode(next, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(next, Seed, overwrite: true);
        return StepOutcome.Continue;
    }

    public override string ToString() => $"mix {Seed} into {Urandom} and save a new one";
}
