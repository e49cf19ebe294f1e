namespace Preinit.Core.Configuration;

/// <summary>How stage 1 makes the root image (preinit.image).</summary>
public enum ImageMethod
{
    /// <summary>The ext2 image is written directly, already filled, then attached and mounted.</summary>
    Write,
    /// <summary>mke2fs formats it, the kernel mounts it, and the tree is copied in (the source post's way).</summary>
    Copy,
}
