// The kernel modules a Live image carries in its initramfs, named by what they provide, each with
// everything it needs: the root image (loop, ext4, which also mounts ext2), the overlay, the boot
// medium (CD and USB storage on every USB controller), the stick's filesystems, UEFI variables and
// the network cards of PCs and QEMU (for preinit messages and failsafe telnet). A kernel that has
// one built in needs no file for it. Without loop, ext4 or overlay there is no Live image at all.
namespace Preinit.Core.Live;

public static class LiveModules
{
    /// <summary>What boot cannot do without: the RAM root on a loop device, and the overlay on the stick.</summary>
    public static readonly IReadOnlyList<string> Required = ["loop", "ext4", "overlay"];

    /// <summary>What makes more PCs and sticks work; a kernel without one of them still boots.</summary>
    public static readonly IReadOnlyList<string> Wanted =
    [
        "isofs", "vfat", "nls_cp437", "nls_iso8859-1", "nls_utf8", "usb-storage", "uas", "sd_mod", "sr_mod",
        "xhci-pci", "ehci-pci", "ohci-pci", "uhci-hcd", "crc32c-generic", "efivarfs",
        "e1000", "e1000e", "r8169", "8139too", "8139cp", "virtio_net",
    ];
}
