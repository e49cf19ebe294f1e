// The composition root: layered configuration (defaults, 00_preinit.conf, kernel command line),
// the settings, the logger and every hook module, registered explicitly (no reflection scanning:
// NativeAOT). Adding a hook module is one class and one AddSingleton line below.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Preinit.Boot.Devices;
using Preinit.Boot.Extroot;
using Preinit.Boot.Hooks;
using Preinit.Boot.Logging;
using Preinit.Boot.Network;
using Preinit.Boot.Stages;
using Preinit.Core.Configuration;
using Preinit.Core.Hooks;

namespace Preinit.Cli;

/// <summary>Where the configuration comes from: the kernel command line text and 00_preinit.conf; where other packages'
/// shell hook files are, and whether they are sourced (they are shell code: a verb that only shows things does not
/// run them unless asked). The hook directory never follows the conf file: a settings file is read without a shell.</summary>
/// <param name="ToProcd">Stage 2 ends by exiting to procd's init instead of exec'ing init (<see cref="ProcdInit"/>): when
/// booting, if this process is procd's init's child; for the verbs, if this system has procd.</param>
public sealed record HostInputs(string? KernelCommandLine, string ConfPath, bool Booting,
    string HookDirectory = HostInputs.DefaultHookDirectory,
    bool SourceHookFiles = true, bool ToProcd = false)
{
    public const string DefaultConfPath = "/lib/preinit/00_preinit.conf", DefaultHookDirectory = "/lib/preinit",
        ProcCmdline = "/proc/cmdline";

    public static HostInputs FromSystem(bool booting, string? commandLine = null, string? confPath = null, string? hookDirectory = null,
        bool sourceHookFiles = true) =>
        new(commandLine ?? ReadOrNull(ProcCmdline), confPath ?? DefaultConfPath, booting, hookDirectory ?? DefaultHookDirectory,
            sourceHookFiles,
            booting ? ProcdInit.IsOurParent() : ProcdInit.InRootfs("/"));

    public static string? ReadOrNull(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}

public static class PreinitHost
{
    public static IHost Build(HostInputs inputs)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var conf = new ShellConfSource(inputs.ConfPath, HostInputs.ReadOrNull(inputs.ConfPath));
        var kernel = new KernelCommandLineSource(inputs.KernelCommandLine);
        IConfigurationBuilder layers = builder.Configuration;
        layers.Sources.Clear();
        layers.Add(new DefaultsSource()).Add(conf).Add(kernel);

        var settings = PreinitSettings.From(builder.Configuration);
        var bootLog = new BootLog(inputs.Booting);
        if (settings.Debug) bootLog.Level.MinimumLevel = Serilog.Events.LogEventLevel.Debug;

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(bootLog);
        services.AddSingleton(bootLog.Logger);
        services.AddSingleton(inputs);
        services.AddSingleton(conf);
        services.AddSingleton(kernel);
        services.AddSingleton<IConfigurationRoot>(builder.Configuration);

        services.AddSingleton(new InitHandover(inputs.ToProcd));
        services.AddSingleton<PreinitSession>();
        services.AddSingleton<BootDrivers>();
        services.AddSingleton(new BootFstab());
        services.AddSingleton(sp => new ExtrootPlanner(settings, sp.GetRequiredService<BootFstab>(),
            line => bootLog.Logger.Information("{Note}", line)));
        services.AddSingleton<ExtrootState>();
        services.AddSingleton<StickSearch>();
        services.AddSingleton<BootRecord>();
        services.AddSingleton<RunInitModule>();
        services.AddSingleton<IPreinitModule, EssentialFsModule>();
        services.AddSingleton<IPreinitModule, DeviceFsModule>();
        services.AddSingleton<IPreinitModule, ConsoleModule>();
        services.AddSingleton<IPreinitModule, IndicatePreinitModule>();
        services.AddSingleton<IPreinitModule, FailsafeWaitModule>();
        services.AddSingleton<IPreinitModule, RunFailsafeHookModule>();
        services.AddSingleton<IPreinitModule, IndicateRegularPreinitModule>();
        services.AddSingleton<IPreinitModule, InitramfsTestModule>();
        services.AddSingleton<IPreinitModule, ExtrootModule>();
        services.AddSingleton<IPreinitModule, MountRootModule>();
        services.AddSingleton<IPreinitModule, UrandomSeedModule>();
        services.AddSingleton<IPreinitModule, IndicateFailsafeModule>();
        services.AddSingleton<IPreinitModule, FailsafeLoginModule>();
        services.AddSingleton<IPreinitModule>(sp => sp.GetRequiredService<RunInitModule>());

        services.AddSingleton(sp => new ShellHookFiles(inputs.HookDirectory,
            ShellHookFiles.EffectiveSettings(builder.Configuration), sp.GetRequiredService<PreinitSession>()));
        services.AddSingleton(sp =>
        {
            var shellFiles = sp.GetRequiredService<ShellHookFiles>();
            var shellModules = inputs.SourceHookFiles ? shellFiles.Modules() : shellFiles.NotSourced();
            return new HookPlan(sp.GetServices<IPreinitModule>().Concat(shellModules), shellFiles.Problems);
        });
        services.AddSingleton(sp => new StepRunner(sp.GetRequiredService<Serilog.ILogger>(), () => sp.GetRequiredService<HookPlan>()));
        services.AddSingleton<StageOne>();
        services.AddSingleton<StageTwo>();
        return builder.Build();
    }

    /// <summary>Every configuration problem, as a line naming the setting or file and the fix.</summary>
    public static IEnumerable<string> Problems(IServiceProvider services)
    {
        var conf = services.GetRequiredService<ShellConfSource>();
        var kernel = services.GetRequiredService<KernelCommandLineSource>();
        var confPath = services.GetRequiredService<HostInputs>().ConfPath;
        foreach (var p in WarningCap.Cap(conf.Problems.Select(p => $"{confPath}:{p.Line}: {p.Message}"), confPath, "fix these first"))
            yield return p;
        foreach (var key in kernel.UnknownKeys)
            yield return $"unknown kernel command line key {key} " +
                $"(known: {string.Join(", ", SettingCatalog.All.Select(d => SettingCatalog.CommandLinePrefix + d.Key))})";
        foreach (var p in services.GetRequiredService<PreinitSettings>().Problems) yield return p;
    }
}
