// Multi-call entry: run as /init it is stage 1, as /etc/preinit (PID 1, or procd's init's child with
// PREINIT=1) stage 2, otherwise the debugging verbs. As PID 1 nothing may end the process: every path
// ends in exec or the rescue shell. As procd's child stage 2 exits, whatever happened.
using Microsoft.Extensions.DependencyInjection;
using Preinit.Boot.Stages;
using Preinit.Boot.Steps;
using Preinit.Boot.Platform;
using Preinit.Interop;
using Serilog;

namespace Preinit.Cli;

public static class Entry
{
    /// <summary>Set on the re-exec after /dev was mounted, so it happens at most once.</summary>
    private const string ReexecMarker = "PREINIT_REEXEC";

    public static int Main(string[] args)
    {
        var argv0 = Environment.GetCommandLineArgs()[0];
        var role = Role(argv0, Libc.Getpid(), args, Environment.GetEnvironmentVariable(ProcdInit.Variable));
        if (role != BootRole.Verbs) ReexecWithDevices(argv0, args);
        return role switch
        {
            BootRole.StageOne => Boot(stageOne: true),
            BootRole.StageTwo => Boot(stageOne: false),
            _ => Verbs.VerbCommands.Run(args),
        };
    }

    public enum BootRole { Verbs, StageOne, StageTwo }

    /// <param name="preinitVariable">PREINIT from the environment: "1" when procd's init runs /etc/preinit.</param>
    public static BootRole Role(string argv0, int pid, string[] args, string? preinitVariable = null) => Path.GetFileName(argv0) switch
    {
        "init" => BootRole.StageOne,
        "preinit" when argv0 == StageOne.StageTwoPath => BootRole.StageTwo,
        "preinit" when args.Length == 0 && (pid == 1 || ProcdInit.IsOurParent(pid, preinitVariable)) => BootRole.StageTwo,
        _ => BootRole.Verbs,
    };

    private static int Boot(bool stageOne)
    {
        var toProcd = !stageOne && ProcdInit.IsOurParent();
        try
        {
            MountEarly();
            using var host = PreinitHost.Build(HostInputs.FromSystem(booting: true));
            var services = host.Services;
            var log = services.GetRequiredService<ILogger>();
            log.Information("preinit {Version} {Stage} (pid {Pid})", VersionInfo.Version,
                stageOne ? "stage 1 (/init)" : "stage 2 (/etc/preinit)", Libc.Getpid());
            foreach (var problem in PreinitHost.Problems(services)) log.Warning("{Problem}", problem);

            if (stageOne) services.GetRequiredService<StageOne>().Run();
            else return services.GetRequiredService<StageTwo>().Run();
        }
        catch (Exception e)
        {
            var log = ConsoleLog();
            if (toProcd)
            {
                log.Error("preinit could not start: {Error}; exiting, procd's init goes on", e.Message);
                return 1;
            }
            if (stageOne)
            {
                log.Error("stage 1 could not start: {Error}; running {StageTwo} in place", e.Message, StageOne.StageTwoPath);
                try { Libc.Execve(StageOne.StageTwoPath, [StageOne.StageTwoPath], []); }
                catch (Exception exec) { log.Error("{Error}", exec.Message); }
            }
            LastResort.Forever(log, $"preinit could not start: {e}");
        }
        LastResort.Forever(ConsoleLog(), "preinit returned without starting init");
        return 1; // not reached
    }

    /// <summary>For the last words once the host's own log is gone, or before there was one: the console.</summary>
    private static ILogger ConsoleLog() =>
        new LoggerConfiguration().WriteTo.Console(outputTemplate: "preinit: {Message:lj}{NewLine}").CreateLogger();

    /// <summary>The runtime reads /dev/urandom before Main; when it is missing (an initramfs with only
    /// /dev/console), it keeps that failure for the life of the process and every later secure random
    /// number (Guid, Serilog's activity ids) throws. So: mount /dev and /proc, then exec ourselves again.</summary>
    private static void ReexecWithDevices(string argv0, string[] args)
    {
        if (File.Exists("/dev/urandom") || Environment.GetEnvironmentVariable(ReexecMarker) is not null) return;
        MountEarly();
        if (!File.Exists("/dev/urandom")) return;
        try
        {
            Libc.Execve(argv0, [argv0, .. args], [$"{ReexecMarker}=1", .. ChildProcess.CurrentEnvironment()]);
        }
        catch (SystemCallException) { /* go on without: the boot still runs, with fewer random numbers */ }
    }

    /// <summary>Before any managed code that hashes strings or reads settings: /dev (the runtime seeds its
    /// hashing from /dev/urandom) and /proc (the kernel command line). Both steps run again later and
    /// find these mounted.</summary>
    private static void MountEarly()
    {
        TryMount(DeviceFilesystemStep.Devtmpfs, "/dev/urandom");
        TryMount(KernelFilesystemSteps.Proc, "/proc/cmdline");
    }

    private static void TryMount(MountStep mount, string present)
    {
        if (File.Exists(present)) return;
        try { mount.Mount(); }
        catch (SystemCallException) { /* the stage's own step reports it and falls back */ }
    }
}
