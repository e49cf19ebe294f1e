// A 32 MiB image made by a mkfs tool, on a loop device: a stick for the root tier.
namespace Preinit.Tests.Support;

public sealed class LoopStick : IDisposable
{
    public string Image { get; }
    public string Device { get; }

    public LoopStick(string mkfs, params string[] args)
    {
        Tier.Require(Tier.RootMissing());
        Image = Tools.Image("preinit-stick", 32 << 20, mkfs, args);
        Device = Tools.Run("losetup", "--find", "--show", Image).Trim();
    }

    public void Dispose()
    {
        Tools.Run("losetup", "--detach", Device);
        File.Delete(Image);
    }
}
