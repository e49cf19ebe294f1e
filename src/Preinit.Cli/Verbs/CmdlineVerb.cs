// `preinit cmdline`: every effective setting, its value and the layer it came from. A value that
// was rejected shows the value in force, with the rejected text beside it.
using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Core.Configuration;

namespace Preinit.Cli.Verbs;

public sealed class CmdlineVerb : Verb
{
    public Option<string?> CommandLine { get; } = ConfigOptions.CommandLine();
    public Option<string?> Conf { get; } = ConfigOptions.Conf();

    public CmdlineVerb() : base("cmdline", "show every setting, its effective value and where it came from")
    {
        Add(CommandLine);
        Add(Conf);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        using var host = PreinitHost.Build(ConfigOptions.Inputs(result, CommandLine, Conf));
        var config = host.Services.GetRequiredService<IConfigurationRoot>();
        var rejected = host.Services.GetRequiredService<PreinitSettings>().Rejected;
        var width = SettingCatalog.All.Max(d => d.Key.Length);
        foreach (var d in SettingCatalog.All)
        {
            var origin = ConfigurationOrigins.Describe(config, d.Key);
            output.WriteLine(rejected.TryGetValue(d.Key, out var r)
                ? $"{d.Key.PadRight(width)}  {Quote(r.InForce)}  ({origin} gave {Quote(r.Text)}: rejected)"
                : $"{d.Key.PadRight(width)}  {Quote(config[d.Key] ?? d.Default)}  ({origin})");
        }
        var problems = PreinitHost.Problems(host.Services).ToList();
        foreach (var p in problems) error.WriteLine($"Warning: {p}");
        return 0;
    }

    private static string Quote(string value) => value.Length == 0 || value.Contains(' ') ? $"'{value}'" : value;
}
