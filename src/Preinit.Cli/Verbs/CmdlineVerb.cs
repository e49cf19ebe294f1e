// `preinit cmdline`: every effective setting, its value and the layer it came from. A value that
// was rejected shows the value in force, with the rejected text beside it.
using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Preinit.Core.Configuration;

namespace Preinit.Cli.Verbs;

public static class CmdlineVerb
{
    public static Command Create()
    {
        var commandLine = ConfigOptions.CommandLine();
        var conf = ConfigOptions.Conf();
        var command = new Command("cmdline", "show every setting, its effective value and where it came from") { commandLine, conf };
        command.SetAction(result =>
        {
            using var host = PreinitHost.Build(ConfigOptions.Inputs(result, commandLine, conf));
            var config = host.Services.GetRequiredService<IConfigurationRoot>();
            var rejected = host.Services.GetRequiredService<PreinitSettings>().Rejected;
            var width = SettingCatalog.All.Max(d => d.Key.Length);
            foreach (var d in SettingCatalog.All)
            {
                var origin = ConfigurationOrigins.Describe(config, d.Key);
                Console.WriteLine(rejected.TryGetValue(d.Key, out var r)
                    ? $"{d.Key.PadRight(width)}  {Quote(r.InForce)}  ({origin} gave {Quote(r.Text)}: rejected)"
                    : $"{d.Key.PadRight(width)}  {Quote(config[d.Key] ?? d.Default)}  ({origin})");
            }
            var problems = PreinitHost.Problems(host.Services).ToList();
            foreach (var p in problems) Console.Error.WriteLine($"Warning: {p}");
            return 0;
        });
        return command;
    }

    private static string Quote(string value) => value.Length == 0 || value.Contains(' ') ? $"'{value}'" : value;
}
