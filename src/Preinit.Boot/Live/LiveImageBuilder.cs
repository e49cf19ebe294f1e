// `preinit mklive`: a bootable Live image from a rootfs. The rootfs is staged (copied or unpacked),
// preinit is installed into it (RootfsInstaller, which also writes procd's /etc/preinit script in an
// OpenWrt rootfs), the modules boot needs join it, it is packed into an initramfs with our own cpio
// writer, and the hybrid ISO is written around that and the kernel. Tools are checked before the
// slow steps start, and each step says what it does.
using System.Diagnostics;
using Preinit.Boot.Cpio;
using Preinit.Boot.Install;
using Preinit.Core.Cpio;
using Preinit.Core.Live;
using Preinit.Interop;

namespace Preinit.Boot.Live;

public sealed class LiveImageRequest
{
    public required string Rootfs { get; init; }
    public required string Output { get; init; }
    public required string Binary { get; init; }
    /// <summary>The kernel (bzImage); null: the rootfs's own /boot/vmlinuz-*.</summary>
    public string? Kernel { get; init; }
    /// <summary>The directory holding RELEASE/ with the kernel's modules; null: the rootfs's own /lib/modules.</summary>
    public string? Modules { get; init; }
    /// <summary>Where the signed EFI binaries are, as their packages install them below it.</summary>
    public string EfiRoot { get; init; } = "/";
    /// <summary>Kernel arguments every menu entry gets.</summary>
    public string Append { get; init; } = "";
    /// <summary>Keeps the staging tree (initramfs/), the initramfs (initramfs.cpio.gz) and the ISO tree (iso/) there; null: a
    /// temporary directory, removed at the end.</summary>
    public string? Work { get; init; }
}

public static class LiveImageBuilder
{
    public const string StagingName = "initramfs", InitramfsName = "initramfs.cpio.gz", IsoTreeName = "iso";

    /// <exception cref="LiveImageException">What is missing or wrong, and what to do.</exception>
    public static void Build(LiveImageRequest request, Action<string> report)
    {
        var clock = Stopwatch.StartNew();
        void Step(string what) => report($"==> {clock.Elapsed.TotalSeconds,5:0.0}s {what}");

        var menu = BootMenu.Parse(DefaultFiles.BootMenu);
        if (HybridIso.Missing(request.EfiRoot) is { Count: > 0 } missing)
            throw new LiveImageException($"cannot write the ISO, missing: {string.Join("; ", missing)}");
        if (request.Kernel is { } given && !File.Exists(given)) throw new LiveImageException($"{given}: no such kernel file");

        var work = request.Work ?? Directory.CreateTempSubdirectory("preinit-mklive.").FullName;
        try
        {
            var staging = Path.Combine(work, StagingName);
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Step($"staging the rootfs in {staging}");
            RootfsStaging.Stage(request.Rootfs, staging, report);

            var kernel = request.Kernel ?? RootfsKernel(staging, request.Rootfs);
            var release = Release(kernel);
            Step($"kernel {kernel}: {release}");
            if (request.Modules is { } modules)
                report($"{LiveModuleCopy.Copy(modules, release, staging, report)} module files from {modules}/{release}");
            else
                LiveModuleCopy.Check(Path.Combine(staging, "lib", "modules"), release, report);

            Step("installing preinit");
            RootfsInstaller.Install(staging, request.Binary, line => report("  " + line));

            var initramfs = Path.Combine(work, InitramfsName);
            Step($"packing {initramfs}");
            var packed = CpioArchiveBuilder.Write(staging, initramfs, new CpioWriteOptions { RootOwned = Libc.Geteuid() != 0 });
            report($"{packed.Entries} entries, {packed.ContentBytes / 1048576.0:0.0} MiB of files, " +
                $"{new FileInfo(initramfs).Length / 1048576.0:0.0} MiB compressed");

            Step($"writing {request.Output} (BIOS: isolinux, UEFI: shim and GRUB)");
            HybridIso.Write(Path.Combine(work, IsoTreeName), kernel, initramfs, menu, request.Append, request.EfiRoot, request.Output);
            Step($"done: {request.Output}, {new FileInfo(request.Output).Length / 1048576.0:0.0} MiB");
        }
        finally
        {
            if (request.Work is null) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The newest /boot/vmlinuz-* of the rootfs.</summary>
    private static string RootfsKernel(string staging, string rootfs)
    {
        var boot = Path.Combine(staging, "boot");
        var kernels = Directory.Exists(boot) ? Directory.GetFiles(boot, "vmlinuz-*") : [];
        if (kernels.Length == 0)
            throw new LiveImageException($"{rootfs} has no /boot/vmlinuz-*: give the kernel with --kernel FILE " +
                "(and its modules with --modules DIR)");
        Array.Sort(kernels, StringComparer.Ordinal);
        return kernels[^1];
    }

    private static string Release(string kernel)
    {
        using var file = File.OpenRead(kernel);
        var start = new byte[KernelVersion.HeaderBytes];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        var release = KernelVersion.Read(start.AsSpan(0, read), offset =>
        {
            var text = new byte[256];
            file.Position = offset;
            var n = file.ReadAtLeast(text, text.Length, throwOnEndOfStream: false);
            return text[..n];
        });
        return release ?? throw new LiveImageException($"{kernel} is not an x86 kernel image (bzImage): " +
            "give the kernel with --kernel FILE");
    }
}
