// The probers on real block devices: a partitioned image on a read-only loop device with partition
// scanning, so blkid -p reports PART_ENTRY_* for each partition device and the kernel made the nodes.
// Also proves FileBlockSource gets a block device's length (BLKGETSIZE64) and opens it read-only.
using Preinit.Boot.Probing;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Preinit.Tests.Unit.Probing;
using Xunit;

namespace Preinit.Tests.Root;

[Collection(ProbingImagesCollection.Name)]
public class ProbingLoopDeviceTests(ProbingImages images)
{
    [RootFact]
    public void LoopDevice_DosDisk_PartitionsAndFilesystemsMatchBlkid() => Check("disk-dos");

    [RootFact]
    public void LoopDevice_GptDisk_PartitionsAndFilesystemsMatchBlkid() => Check("disk-gpt");

    private void Check(string recipe)
    {
        Tier.Require(Tier.RootMissing());
        Tier.Require(Tier.ToolsMissing("losetup", "partx", "blkid"));
        var image = images.Get(recipe);
        // Read-only: opening the device for writing would fail, so a passing probe shows it never asks to.
        var loop = ProbingTools.Run("losetup", ["--find", "--show", "--partscan", "--read-only", image]).Trim();
        try
        {
            using var disk = FileBlockSource.Open(loop);
            Assert.Equal(new FileInfo(image).Length, disk.Length);
            var table = PartitionTableProbe.Probe(disk);
            Assert.NotNull(table);
            var blkid = Blkid.Probe(loop);
            Assert.Equal((blkid.Get("PTTYPE"), blkid.Get("PTUUID")), (table.Value.Type, table.Value.Uuid));

            // The kernel's partitions are ours (extended containers aside, which hold no filesystem).
            var name = Path.GetFileName(loop);
            var kernel = WaitForPartitions(name, table.Value.Partitions.Select(p => p.Number));
            foreach (var p in table.Value.Partitions)
            {
                var device = $"{loop}p{p.Number}";
                var entry = Blkid.Probe(device);
                Assert.Equal(p.Number.ToString(), entry.Get("PART_ENTRY_NUMBER"));
                Assert.Equal(p.Scheme, entry.Get("PART_ENTRY_SCHEME"));
                Assert.Equal(p.PartUuid, entry.Get("PART_ENTRY_UUID"));
                Assert.Equal(p.PartLabel, entry.Get("PART_ENTRY_NAME"));
                Assert.Equal(p.StartBytes, long.Parse(entry.Get("PART_ENTRY_OFFSET")!) * 512);
                Assert.Equal(p.SizeBytes, long.Parse(entry.Get("PART_ENTRY_SIZE")!) * 512);

                using var partition = FileBlockSource.Open(device);
                Assert.Equal(p.SizeBytes, partition.Length);
                var ours = FilesystemProbe.Probe(partition);
                if (entry.Get("TYPE") is null) Assert.Null(ours);
                else Assert.Equal(new ProbeResult(entry["TYPE"], entry.Get("LABEL"), entry.Get("UUID"), entry.Get("VERSION"),
                    entry["USAGE"]), ours);
            }
            Assert.Subset(kernel, table.Value.Partitions.Select(p => p.Number).ToHashSet());
        }
        finally
        {
            ProbingTools.Run("losetup", ["-d", loop]);
        }
    }

    /// <summary>The partition numbers the kernel made for the loop device, once the nodes for the expected ones exist.</summary>
    private static HashSet<int> WaitForPartitions(string loop, IEnumerable<int> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var added = false;
        while (true)
        {
            // A kernel built without MSDOS/EFI partition support scans nothing: add them from user space
            // (partx, BLKPG) after a second, as it would on such a machine.
            if (!added && DateTime.UtcNow > deadline.AddSeconds(-9) && !Directory.GetDirectories($"/sys/block/{loop}", $"{loop}p*").Any())
            {
                ProbingTools.Run("partx", ["--add", $"/dev/{loop}"]);
                added = true;
            }
            var numbers = Directory.Exists($"/sys/block/{loop}")
                ? Directory.GetDirectories($"/sys/block/{loop}", $"{loop}p*").Select(d => int.Parse(Path.GetFileName(d)[(loop.Length +
                    1)..])).ToHashSet()
                : [];
            if (expected.All(n => numbers.Contains(n) && File.Exists($"/dev/{loop}p{n}"))) return numbers;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"partitions of /dev/{loop}: {string.Join(", ", numbers)}; expected {string.Join(", ", expected)}");
            Thread.Sleep(50);
        }
    }
}
