// A disk laid out like live-stick.img (the Live image with its EFI partition inside, then
// rootfs_data) as boot's device matching sees it: only rootfs_data can be the overlay stick; the
// image, its ISO partition and its EFI partition are the boot medium.
using Preinit.Boot.Devices;
using Preinit.Cli.Verbs;
using Preinit.Core.Devices;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Stick;

public sealed class OneStickMatchingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("preinit-onestick.").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [PublishedFact]
    public void LiveStickLayout_OnlyRootfsDataIsEverTheStick()
    {
        var stick = Path.Combine(dir, "stick.img");
        using (StringWriter o = new(), e = new())
            Assert.True(new StickVerb(new StringReader("")).Run(o, e, Paths.LiveIso, stick, "64M", false, true, true) == 0, e.ToString());
        var dev = Directory.CreateDirectory(Path.Combine(dir, "dev")).FullName;
        File.CreateSymbolicLink(Path.Combine(dev, "sda"), stick);
        // Each partition as the kernel would show it: a device over its extent of the disk.
        var table = Tools.Run("sfdisk", "--json", stick);
        var partitions = System.Text.Json.JsonDocument.Parse(table).RootElement.GetProperty("partitiontable").GetProperty("partitions");
        var devices = new List<BlockDevice> { new("sda", 8, 0, new FileInfo(stick).Length, true, false, null, null, null) };
        var types = new Dictionary<int, string>();
        foreach (var p in partitions.EnumerateArray())
        {
            var number = int.Parse(p.GetProperty("node").GetString()!.Replace(stick, ""));
            long start = p.GetProperty("start").GetInt64() * 512, size = p.GetProperty("size").GetInt64() * 512;
            types[number] = p.GetProperty("type").GetString()!;
            CopyRange(stick, Path.Combine(dev, $"sda{number}"), start, size);
            devices.Add(new BlockDevice($"sda{number}", 8, (uint)number, size, true, false, "sda", number, null));
        }
        Assert.Equal("ef", types[2]);   // the EFI image's entry, inside the ISO
        Assert.Equal("83", types[3]);

        var probed = DeviceProber.ProbeAll(devices, dev);
        var efi = probed.Single(d => d.Device.Name == "sda2");
        Assert.Equal("vfat", efi.Type);

        Assert.Equal("sda3", Choose("LABEL=rootfs_data", probed).Chosen?.Device.Name);
        foreach (var name in new[] { "sda", "sda1", "sda2" })
        {
            var choice = Choose($"/dev/{name}", probed);
            Assert.Null(choice.Chosen);
            Assert.Contains($"/dev/{name} ignored: ", choice.Warning);
        }
        Assert.Contains("it lies inside the Live image on /dev/sda (the boot medium's EFI partition)", Choose("/dev/sda2", probed).Warning);
    }

    private static Choice Choose(string spec, IReadOnlyList<ProbedDevice> probed)
    {
        Assert.True(DeviceSpec.TryParse(spec, out var parsed, out var error), error);
        return DeviceChoice.Choose(parsed, probed, DeviceExclusion.Reason);
    }

    private static void CopyRange(string from, string to, long start, long size)
    {
        using var input = File.OpenRead(from);
        using var output = File.Create(to);
        input.Position = start;
        var buffer = new byte[1 << 20];
        for (long done = 0; done < size;)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, size - done));
            if (n == 0) break;
            if (buffer.AsSpan(0, n).IndexOfAnyExcept((byte)0) < 0) output.Seek(n, SeekOrigin.Current);
            else output.Write(buffer, 0, n);
            done += n;
        }
        output.SetLength(size);
    }
}
