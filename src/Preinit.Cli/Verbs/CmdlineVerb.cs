// `preinit cmdline`: every effective setting, its value and the layer it came from.
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
            var width = SettingCatalog.All.Max(d => d.Key.Length);
            foreach (var d in SettingCatalog.All)
                Console.WriteLine($"{d.Key.PadRight(width)}  {Quote(config[d.Key] ?? d.Default)}  ({ConfigurationOrigins.Describe(config, d.Key)})");
            var problems = PreinitHost.Problems(host.Services).ToList();
            foreach (var p in problems) Console.Error.WriteLine($"Warning: {p}");
            return 0;
        });
        return command;
    }

    private static string Quote(string value) => value.Length == 0 || value.Contains(' ') ? $"'{value}'" : value;
}
