// What a filesystem prober found, in blkid's words (TYPE, LABEL, UUID, VERSION, USAGE), so a spec
// such as LABEL=rootfs_data means the same to preinit as to blkid, udev and mount.
namespace Preinit.Core.Probing;

/// <summary>What a prober found. Usage is "filesystem", "other" (swap, jbd), "crypto" (LUKS) like blkid's USAGE.
/// Label and Uuid are null where blkid prints no LABEL or UUID.</summary>
public sealed record ProbeResult(string Type, string? Label, string? Uuid, string? Version = null, string Usage = "filesystem")
{
    public const string Filesystem = "filesystem", Other = "other", Crypto = "crypto";
}
