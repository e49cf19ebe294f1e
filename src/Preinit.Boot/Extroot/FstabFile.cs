// Reads /etc/config/fstab for boot and for the verbs alike: size-capped, every syntax problem and
// every option that does not take effect passed on as a warning, the rest used.
using Preinit.Core.Configuration;
using Preinit.Core.Fstab;
using Preinit.Core.Uci;

namespace Preinit.Boot.Extroot;

public static class FstabFile
{
    public const string DefaultPath = "/etc/config/fstab";
    private const long MaxBytes = 1 << 20;

    /// <returns>The configuration, or null when the file is missing or too large to be one.</returns>
    public static FstabConfig? Read(string path, Action<string> warn) => Load(path, warn) is { } bytes ? Parse(bytes, path, warn) : null;

    /// <returns>The file's bytes, or null when it is missing or too large to be a UCI fstab.</returns>
    public static byte[]? Load(string path, Action<string> warn)
    {
        if (!File.Exists(path)) return null;
        if (new FileInfo(path).Length > MaxBytes)
        {
            warn($"{path} is larger than {MaxBytes >> 10} KiB: not read (is it really a UCI fstab?)");
            return null;
        }
        return File.ReadAllBytes(path);
    }

    public static FstabConfig Parse(byte[] bytes, string path, Action<string> warn)
    {
        var parsed = UciParser.Parse(bytes, "fstab", path);
        var config = FstabReader.Read(parsed.Package, path);
        var warnings = parsed.Problems.Select(p => p.ToString()).Concat(config.Warnings.Select(w => w.ToString()));
        foreach (var w in WarningCap.Cap(warnings, path, $"fix these first (preinit uci show {path} lists every syntax error)")) warn(w);
        return config;
    }
}
