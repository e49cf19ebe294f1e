// The configuration layers as Microsoft.Extensions.Configuration providers, each able to say
// where a value came from, so `preinit cmdline` can show the source of every effective value.
using Microsoft.Extensions.Configuration;

namespace Preinit.Core.Configuration;

/// <summary>A provider that can name the origin of a key it supplies (file and line, "kernel command line"...).</summary>
public interface IDescribedProvider
{
    string Describe(string key);
}

public sealed class DefaultsSource : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider();

    private sealed class Provider : ConfigurationProvider, IDescribedProvider
    {
        public override void Load() =>
            Data = SettingCatalog.All.ToDictionary(d => d.Key, d => (string?)d.Default, StringComparer.OrdinalIgnoreCase);

        public string Describe(string key) => "built-in default";
    }
}

/// <summary>sh assignments from 00_preinit.conf (text given, so tests and the verbs read the same way).</summary>
public sealed class ShellConfSource(string path, string? text) : IConfigurationSource
{
    public string Path { get; } = path;
    public string? Text { get; } = text;

    public IReadOnlyList<ShellParseProblem> Problems { get; private set; } = [];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    private sealed class Provider(ShellConfSource source) : ConfigurationProvider, IDescribedProvider
    {
        private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

        public override void Load()
        {
            if (source.Text is null) return;
            var (assignments, problems) = ShellAssignments.Parse(source.Text);
            source.Problems = problems;
            foreach (var a in assignments)
            {
                Data[a.Name] = a.Value;
                _lines[a.Name] = a.Line;
            }
        }

        public string Describe(string key) =>
            _lines.TryGetValue(key, out var line) ? $"{source.Path}:{line}" : source.Path;
    }
}

/// <summary>preinit.NAME=value parameters (a bare preinit.NAME means 1), init= and failsafe=.</summary>
public sealed class KernelCommandLineSource(string? text) : IConfigurationSource
{
    public string? Text { get; } = text;

    /// <summary>preinit.* keys that name no known setting: reported, not fatal.</summary>
    public IReadOnlyList<string> UnknownKeys { get; private set; } = [];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    private sealed class Provider(KernelCommandLineSource source) : ConfigurationProvider, IDescribedProvider
    {
        public override void Load()
        {
            var unknown = new List<string>();
            foreach (var p in KernelCommandLine.Parse(source.Text ?? ""))
            {
                if (p.Key == "init" && p.Value is not null)
                    Data[SettingCatalog.InitCmd] = p.Value;
                else if (p.Key == "failsafe")
                    Data[SettingCatalog.Failsafe] = "1"; // OpenWrt: any failsafe= on the command line means failsafe
                else if (p.Key.StartsWith(SettingCatalog.CommandLinePrefix, StringComparison.Ordinal))
                {
                    var name = p.Key[SettingCatalog.CommandLinePrefix.Length..];
                    if (SettingCatalog.Find(name) is null) unknown.Add(p.Key);
                    else Data[name] = p.Value ?? "1";
                }
            }
            source.UnknownKeys = unknown;
        }

        public string Describe(string key) => "kernel command line";
    }
}

public static class ConfigurationOrigins
{
    /// <summary>Which layer supplied the effective value of <paramref name="key"/>: the last provider that has it.</summary>
    public static string Describe(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
            if (provider.TryGet(key, out _))
                return provider is IDescribedProvider d ? d.Describe(key) : provider.ToString() ?? "?";
        return "unset";
    }
}
