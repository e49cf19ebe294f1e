namespace Preinit.Core.Configuration;

/// <summary>preinit.fsck: whether the stick is checked before it is mounted.</summary>
public enum FsckMode
{
    /// <summary>As fstab says (enabled_fsck on the mount, or check_fs in config global).</summary>
    Auto,
    Force,
    Off,
}
