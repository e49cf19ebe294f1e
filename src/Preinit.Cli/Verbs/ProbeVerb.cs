// `preinit probe [PATH...] [--json]`: what is on each block device (or image file), in blkid's
// line format or as JSON; a device with a partition table shows PTTYPE and PTUUID, beside its
// filesystem if it has one (a hybrid ISO). A label's bytes are printed as blkid has them, those that
// are not UTF-8 as \xNN; JSON, which must be text, has them read in code page 850. A device
// with nothing known but an intact ext backup superblock gets a note on stderr with the repair.
using System.CommandLine;
using Preinit.Boot.Platform;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Preinit.Boot.Devices;
using Preinit.Core.Devices;
using Preinit.Core.Probing;

namespace Preinit.Cli.Verbs;

public sealed class ProbeVerb : Verb
{
    public Argument<string[]> Paths { get; } = new("PATH") { Description = "devices or image files (default: every block device)",
        Arity = ArgumentArity.ZeroOrMore };
    public Option<bool> Json { get; } = new("--json") { Description = "print a JSON array" };

    public ProbeVerb() : base("probe", "show TYPE, LABEL, UUID, PARTUUID and PARTLABEL of block devices or image files")
    {
        Add(Paths);
        Add(Json);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var given = result.GetValue(Paths) ?? [];
        // As blkid: a path that cannot be probed is an error line of its own, and the others are still probed.
        var usable = new List<string>();
        foreach (var path in given)
            if (InputPath.DeviceOrImage(path) is { } problem) error.WriteLine($"Error: {problem}");
            else usable.Add(path);
        var probed = given.Length == 0 ? DeviceProber.ProbeAll(SysfsBlockDevices.Enumerate())
            : usable.Select(DeviceProber.ProbePath).ToList();
        foreach (var d in probed)
            if (d.DamagedExt is { } damaged)
                error.WriteLine($"{PathOf(d, given)}: {DeviceReport.Damage(d)}; repair: {damaged.RepairCommand(PathOf(d, given))}");
        var found = probed.Where(d => d.Type is not null || d.PartUuid is not null || d.PtType is not null).ToList();
        if (result.GetValue(Json)) WriteJson(found, given, output);
        else foreach (var d in found) output.WriteLine(BlkidLine(d, given));
        return found.Count > 0 ? 0 : 2; // as blkid: 2 when nothing was identified
    }

    private static string PathOf(ProbedDevice d, string[] given) =>
        given.FirstOrDefault(g => Path.GetFileName(g) == d.Device.Name) ?? d.Device.DevicePath;

    public static string BlkidLine(ProbedDevice d, string[] given)
    {
        var fields = new List<string>();
        // Control characters and backslashes as \xNN and \\ (PrintableText), then quotes escaped as blkid does.
        void Add(string key, string? value)
        {
            if (value is not null) fields.Add($"{key}=\"{PrintableText.Escape(value).Replace("\"", "\\\"")}\"");
        }
        Add("LABEL", d.Label);
        Add("UUID", d.Uuid);
        Add("VERSION", d.Version);
        Add("TYPE", d.Type);
        Add("PTUUID", d.PtUuid);
        Add("PTTYPE", d.PtType);
        Add("PARTLABEL", d.PartLabel);
        Add("PARTUUID", d.PartUuid);
        return $"{PathOf(d, given)}: {string.Join(' ', fields)}";
    }

    private static void WriteJson(IReadOnlyList<ProbedDevice> found, string[] given, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var d in found)
            {
                w.WriteStartObject();
                w.WriteString("device", PathOf(d, given));
                // JSON is text: bytes that are not UTF-8 (LabelBytes) are read in code page 850.
                void Add(string key, string? value) { if (value is not null) w.WriteString(key, LabelBytes.CodePageText(value) ?? value); }
                Add("type", d.Type);
                Add("label", d.Label);
                Add("uuid", d.Uuid);
                Add("partuuid", d.PartUuid);
                Add("partlabel", d.PartLabel);
                Add("pttype", d.PtType);
                Add("ptuuid", d.PtUuid);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        // Utf8JsonWriter writes bytes; the writer takes text (UTF-8 again on stdout).
        output.Write(Encoding.UTF8.GetString(stream.ToArray()));
        output.Write('\n');
    }
}
