// What an overlay upper layer holds, counted: the files, directories and deletions a session made,
// and the room they take on a stick (data in whole blocks, a block per directory, an inode per
// entry; hard-linked files once).
using Preinit.Interop;

namespace Preinit.Boot.Persist;

public sealed class LayerSurvey
{
    private readonly HashSet<ulong> _counted = [];

    public int Files { get; private set; }
    public int Directories { get; private set; }
    public int OpaqueDirectories { get; private set; }
    public int Deletions { get; private set; }
    /// <summary>Symlinks, device nodes, fifos and sockets.</summary>
    public int Others { get; private set; }
    /// <summary>File data, in bytes as written.</summary>
    public long DataBytes { get; private set; }
    /// <summary>Bytes the layer takes on a filesystem with <c>blockSize</c> blocks.</summary>
    public long BlockBytes { get; private set; }

    public int Entries => Files + Directories + Deletions + Others;

    /// <summary>Counts everything under <paramref name="layer"/> (not the layer's own directory).</summary>
    public static LayerSurvey Of(string layer, long blockSize)
    {
        var survey = new LayerSurvey();
        survey.Walk(layer, blockSize);
        return survey;
    }

    private void Walk(string directory, long blockSize)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory))
        {
            var stat = Libc.Lstat(path);
            switch (stat.FileType)
            {
                case Libc.S_IFDIR:
                    Directories++;
                    BlockBytes += blockSize;
                    if (OverlayRecords.IsOpaque(path)) OpaqueDirectories++;
                    Walk(path, blockSize);
                    break;
                case Libc.S_IFREG:
                    Files++;
                    if (stat.stx_nlink > 1 && !_counted.Add(stat.stx_ino)) break;
                    DataBytes += (long)stat.stx_size;
                    BlockBytes += ((long)stat.stx_size + blockSize - 1) / blockSize * blockSize;
                    break;
                default:
                    if (OverlayRecords.IsWhiteout(stat)) Deletions++;
                    else Others++;
                    break;
            }
        }
    }

    public override string ToString() =>
        $"{Count(Files, "file")} ({Core.Sizes.ByteSize.Human(DataBytes)}), {Count(Directories, "director", "y", "ies")} " +
        $"({OpaqueDirectories} opaque), {Count(Deletions, "deletion")}, {Count(Others, "symlink or special entr", "y", "ies")}";

    private static string Count(int n, string word, string one = "", string many = "s") => $"{n} {word}{(n == 1 ? one : many)}";
}
