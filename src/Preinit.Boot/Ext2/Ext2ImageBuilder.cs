// `preinit mkimage`'s work: walk a directory to count what it needs, size the ext2 image for it (a
// headroom or a given size), and walk it again to write the image file directly with the pure
// writer: no mkfs, no loop device, no mount, no root. A failed write removes the partial image.
using System.Diagnostics;
using Preinit.Core.Ext2;
using Preinit.Core.Sizes;

namespace Preinit.Boot.Ext2;

public sealed record Ext2ImageOptions
{
    public Headroom Headroom { get; init; } = Headroom.Auto;
    /// <summary>An exact image size instead of a headroom.</summary>
    public long? SizeBytes { get; init; }
    public int? BlockSize { get; init; }
    public string Label { get; init; } = "";
    /// <summary>Default: a random (version 4) UUID.</summary>
    public Guid? Uuid { get; init; }
    /// <summary>Unix seconds for the superblock and the added lost+found. Default: now.</summary>
    public long? Time { get; init; }
}

public sealed record Ext2ImageResult(string ImagePath, long ImageBytes, int BlockSize, long Entries, long Files,
    long ContentBytes, long FreeBytes, long FreeInodes, TimeSpan Elapsed);

public static class Ext2ImageBuilder
{
    /// <exception cref="IOException">Unreadable or changing files (named), a size the tree does not fit (with what it needs).</exception>
    public static Ext2ImageResult Write(string sourceDir, string imagePath, Ext2ImageOptions options,
        IReadOnlyCollection<string>? exclude = null)
    {
        var clock = Stopwatch.StartNew();
        var root = Ext2DirectoryTree.ResolveRoot(sourceDir);
        var image = Path.GetFullPath(imagePath);

        // Two walks of the tree, one to count and one to write: memory stays the same whatever the tree's size.
        var source = new Ext2DirectoryTree(root, [image, .. exclude ?? []]);
        Ext2Tree tree;
        Ext2Layout layout;
        try
        {
            tree = Ext2Tree.Scan(source);
            layout = options.SizeBytes is { } size
                ? Ext2Layout.ForSize(tree.Summary, size, options.BlockSize)
                : Ext2Layout.For(tree.Summary, options.Headroom, options.BlockSize);
        }
        catch (Ext2TreeException e) { throw source.Named(e); }
        var writeOptions = new Ext2WriteOptions((options.Uuid ?? Guid.NewGuid()).ToByteArray(bigEndian: true),
            options.Time ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), options.Label);

        Ext2WriteResult written;
        FileStream output;
        try { output = new FileStream(image, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The runtime's words name the wrong thing ("Could not find file"): the image is to be made, not found.
            throw new IOException($"the image {image} cannot be created there ({Reason(e)}): write it to a directory you can write to", e);
        }
        try
        {
            using (output) written = Ext2Writer.Write(tree, layout, writeOptions, output);
        }
        catch (Exception e)
        {
            File.Delete(image);
            if (e is Ext2TreeException named) throw source.Named(named);
            throw;
        }
        return new Ext2ImageResult(image, written.ImageBytes, written.BlockSize, written.Entries, written.Files,
            written.ContentBytes, written.FreeBytes, written.FreeInodes, clock.Elapsed);
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "no such directory",
        FileNotFoundException => "the directory does not take new files",
        _ => e.Message,
    };
}
