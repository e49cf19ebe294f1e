// The key block.c files a mount or swap section under in its one list (vlist, an AVL tree ordered
// by strcmp): the uuid, else the label, else the device's last path component. A later section
// with the same key replaces an earlier one, and lookups by target go through the list in key order.
namespace Preinit.Core.Fstab;

public static class FstabKeys
{
    public static string Of(string? uuid, string? label, string? device) =>
        uuid ?? label ?? Path.GetFileName(device!.TrimEnd('/'));

    public static string Of(FstabMount m) => Of(m.Uuid, m.Label, m.Device);

    /// <summary>strcmp order, as avl_strcmp.</summary>
    public static int Compare(FstabMount a, FstabMount b) => string.CompareOrdinal(Of(a), Of(b));
}
