// JFFS2 (kernel include/uapi/linux/jffs2.h struct jffs2_unknown_node): a node header at offset 0 with
// the 0x1985 magic in either byte order and a valid header CRC (CRC-32 from 0, not inverted, over the
// first 8 bytes, as mkfs.jffs2 and the kernel compute it). JFFS2 has no label or UUID. libblkid knows no
// JFFS2 at all (blkid -p finds nothing on such an image); the table tries it only when nothing else matched.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Preinit.Core.Probing;

internal static class Jffs2Probe
{
    private static class Field
    {
        public const int Magic = 0, NodeType = 2, TotalLength = 4, HeaderCrc = 8;
        public const int HeaderSize = 12;
    }

    private const ushort Magic = 0x1985;
    private const ushort NodeAccurate = 0x2000;   // set in every node type mkfs.jffs2 and the kernel write

    public static bool TryProbe(IBlockSource source, [NotNullWhen(true)] out ProbeResult? result)
    {
        result = null;
        Span<byte> node = stackalloc byte[Field.HeaderSize];
        if (!BlockRead.TryFill(source, 0, node)) return false;
        bool bigEndian;
        if (BinaryPrimitives.ReadUInt16LittleEndian(node) == Magic) bigEndian = false;
        else if (BinaryPrimitives.ReadUInt16BigEndian(node) == Magic) bigEndian = true;
        else return false;
        var type = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(node[Field.NodeType..])
            : BinaryPrimitives.ReadUInt16LittleEndian(node[Field.NodeType..]);
        var length = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(node[Field.TotalLength..])
            : BinaryPrimitives.ReadUInt32LittleEndian(node[Field.TotalLength..]);
        var crc = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(node[Field.HeaderCrc..])
            : BinaryPrimitives.ReadUInt32LittleEndian(node[Field.HeaderCrc..]);
        if ((type & NodeAccurate) == 0 || length < Field.HeaderSize) return false;
        if (Crc32.Update(0, node[..Field.HeaderCrc]) != crc) return false;
        result = new ProbeResult("jffs2", null, null);
        return true;
    }
}
