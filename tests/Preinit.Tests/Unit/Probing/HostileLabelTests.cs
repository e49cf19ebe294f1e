// A label is whatever the stick's owner (or anyone who had it) wrote: terminal escape sequences
// included. Printed, every control character is \xNN; in JSON the raw text is kept, JSON-escaped.
using Preinit.Core.Devices;
using Preinit.Core.Probing;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit.Probing;

public sealed class HostileLabelTests : IDisposable
{
    // ESC [ 2 J clears a terminal; 0x9B is the one-character CSI (C1); then a backslash that must not fake an escape.
    private const string Label = "a\u001b[2J\u009b\\x";
    private readonly string image = Tools.Image("preinit-hostile", 8 << 20, "mkfs.ext4", "-q", "-F");

    public HostileLabelTests() => Tools.Run("tune2fs", "-L", Label, image);

    public void Dispose() => File.Delete(image);

    [ToolFact("blkid", "mkfs.ext4", "tune2fs")]
    public void Probe_PrintsControlCharactersEscaped()
    {
        var (code, output, _) = Verbs.Run("probe", image);
        Assert.Equal(0, code);
        Assert.Contains(@"LABEL=""a\x1b[2J\x9b\\x""", output);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u009b', output);
    }

    /// <summary>--json writes to the process's own standard output, so the published binary is run.</summary>
    [PublishedFact]
    public void ProbeJson_KeepsTheRawLabel_JsonEscaped()
    {
        var json = Tools.Run(Paths.PublishedBinary, "probe", "--json", image);
        Assert.Contains(@"""label"": ""a\u001B[2J", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\u001b', json);
    }

    [Fact]
    public void DeviceReport_AndSpecs_EscapeWhatTheyPrint()
    {
        var device = new ProbedDevice(new BlockDevice("sdb1", 8, 17, 8 << 20, true, false, "sdb", 1, null), "ext4", Label, "u\u0007", null,
            null);

        var line = DeviceReport.Line(device);

        Assert.Contains(@"LABEL=""a\x1b[2J\x9b\\x""", line);
        Assert.Contains(@"UUID=u\x07", line);
        Assert.Equal(@"LABEL=a\x1b[2J\x9b\\x", new DeviceSpec(SpecKind.Label, Label).ToString());
        Assert.Equal("plain ünïcode label", PrintableText.Escape("plain ünïcode label"));
    }
}
