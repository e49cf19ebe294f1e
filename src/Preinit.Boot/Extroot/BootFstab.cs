// /etc/config/fstab as boot reads it: parsed once, its warnings said once, for the extroot plan and
// for do_swapon alike. Parsed again only when the file says something else: after the pivot the root
// is the stick's overlay, whose own copy (edited in an earlier session) is the one that counts.
using Preinit.Core.Fstab;

namespace Preinit.Boot.Extroot;

public sealed class BootFstab(string path = FstabFile.DefaultPath)
{
    private byte[]? _bytes;
    private FstabConfig? _config;
    private bool _read;

    public string Path => path;

    /// <returns>The configuration, or null when there is no file (or none that could be read).</returns>
    public FstabConfig? Read(Action<string> warn)
    {
        var bytes = FstabFile.Load(path, warn);
        if (_read && (bytes is null ? _bytes is null : _bytes is not null && bytes.AsSpan().SequenceEqual(_bytes))) return _config;
        (_bytes, _config, _read) = (bytes, bytes is null ? null : FstabFile.Parse(bytes, path, warn), true);
        return _config;
    }
}
