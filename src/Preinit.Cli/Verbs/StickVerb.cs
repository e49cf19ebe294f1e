// `preinit stick [IMAGE] TARGET [--persistence SIZE|rest]`: writes the Live image to a USB stick (or
// an image file) and adds a rootfs_data partition after it, so one stick both boots and keeps the
// changes. Without IMAGE it only adds the partition to a stick that already holds the image. Every
// refusal comes before the first byte is written; the user sees the stick and says yes.
using System.CommandLine;
using Preinit.Boot.Probing;
using Preinit.Boot.Stick;
using Preinit.Core.Sizes;
using Preinit.Core.Stick;
using Preinit.Interop;

namespace Preinit.Cli.Verbs;

public sealed class StickVerb : Verb
{
    private readonly TextReader? _input;

    public Argument<string[]> Paths { get; } = new("[IMAGE] TARGET")
    {
        Description = "the Live image (live.iso) and the stick (/dev/sdX) or image file to write; TARGET alone: add the partition only",
        Arity = new ArgumentArity(1, 2),
    };
    public Option<string> PersistenceSize { get; } = new("--persistence")
    {
        Description = $"room for the saved changes: a size (512M, 4G), rest (the rest of the stick), or 0 (the image only)",
        DefaultValueFactory = _ => "rest",
    };
    public Option<bool> Force { get; } = new("--force") { Description = "write a device that is not removable, or is in use" };
    public Option<bool> Yes { get; } = new("--yes") { Description = "do not ask before writing" };
    public Option<bool> NoVerify { get; } = new("--no-verify") { Description = "do not read the written image back to compare" };

    /// <param name="input">Where the answer to "Type yes" is read (default: stdin).</param>
    public StickVerb(TextReader? input = null)
        : base("stick", "write the Live image to a USB stick and add a rootfs_data partition for the saved changes")
    {
        _input = input;
        Add(Paths);
        Add(PersistenceSize);
        Add(Force);
        Add(Yes);
        Add(NoVerify);
    }

    protected override int Run(ParseResult result, TextWriter output, TextWriter error)
    {
        var given = result.GetValue(Paths)!;
        return Run(output, error, given.Length == 2 ? given[0] : null, given[^1], result.GetValue(PersistenceSize)!,
            result.GetValue(Force), result.GetValue(Yes), !result.GetValue(NoVerify));
    }

    public int Run(TextWriter output, TextWriter error, string? image, string targetPath, string persistenceText, bool force, bool yes,
        bool verify)
    {
        try
        {
            if (!Persistence.TryParse(persistenceText, out var persistence))
                return Fail(error, $"--persistence {persistenceText}: give a size (512M, 4G), rest, or 0");
            var imageContents = image is null ? null : ReadImage(image);
            var target = StickTarget.Inspect(targetPath);
            if (image is not null && target.Exists && SameFile(image, targetPath))
                return Fail(error, $"{targetPath} is the image itself; give another target");
            if (Refusal(target, force) is { } refusal) return Fail(error, refusal);

            var current = Contents(target, imageContents, persistence);
            var decision = StickPlanner.Plan(current, imageContents, persistence, targetPath);
            if (decision.Refusal is { } why) return Fail(error, why);
            var plan = decision.Plan!;
            if (plan.ImageBytes is null && plan.Partition is { Create: false })
            {
                output.WriteLine($"{targetPath} {plan.Note}.");
                return 0;
            }

            Describe(output, target, current, image, plan);
            if (!yes && !Confirmed(output, error, targetPath)) return 1;
            StickMaker.Execute(target, image, current, plan, new StickOptions(verify, Libc.IsTerminal(1)), output);
            Done(output, target, plan);
            return 0;
        }
        catch (StickException e) { return Fail(error, e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(error, e.Message); }
    }

    private static string? Refusal(StickTarget target, bool force)
    {
        if (force) return null;
        if (target.InUse.Count > 0)
            return $"{target.Path} is in use: {string.Join("; ", target.InUse)}. Unmount it first, or check that it is the stick you mean";
        if (target.IsBlockDevice && !target.Removable)
            return $"{target.Path} ({target.Description}) is not removable: it looks like a disk of this machine, not a USB stick. " +
                "If it really is the stick to write, add --force";
        return null;
    }

    private static DiskContents ReadImage(string image)
    {
        if (!File.Exists(image)) throw new StickException($"{image}: no such image file");
        using var source = FileBlockSource.Open(image);
        return DiskContents.Read(source);
    }

    /// <summary>What is on the target now; a file still to be made has the size the plan needs and nothing on it.</summary>
    private static DiskContents Contents(StickTarget target, DiskContents? image, Persistence persistence)
    {
        if (target.Exists)
        {
            using var source = FileBlockSource.Open(target.Path);
            return DiskContents.Read(source);
        }
        if (image is null) throw new StickException($"{target.Path}: no such device or file");
        var size = StickPlanner.NewFileBytes(image.SizeBytes, persistence)
            ?? throw new StickException($"{target.Path} does not exist yet, and a new image file has no rest to fill: " +
                "give --persistence SIZE (e.g. 64M)");
        return new DiskContents(size, null, [], null);
    }

    private static void Describe(TextWriter output, StickTarget target, DiskContents current, string? image, StickPlan plan)
    {
        output.WriteLine($"Target: {target.Path}: {target.Description}, {ByteSize.Human(current.SizeBytes)}");
        if (!target.Exists) output.WriteLine("  a new file");
        else if (current.Partitions.Count == 0)
            output.WriteLine(current.LiveImageBytes is { } live ? $"  a Live image ({ByteSize.Human(live)})" : "  no partition table");
        foreach (var p in current.Partitions)
            output.WriteLine($"  partition {p.Slot}: {ByteSize.Human(p.SizeBytes)} from {ByteSize.Human(p.StartBytes)}, " +
                $"{p.Type ?? "no filesystem found"}{(p.Label is null ? "" : $" LABEL={Core.Probing.PrintableText.Escape(p.Label)}")}");
        output.WriteLine("Will write:");
        if (image is not null) output.WriteLine($"  the Live image {image} ({ByteSize.Human(plan.ImageBytes!.Value)}) from the start");
        if (plan.Partition is { } d)
            output.WriteLine($"  partition {d.Slot}: {DiskContents.DataLabel}, {ByteSize.Human(d.SizeBytes)} from " +
                $"{ByteSize.Human(d.StartBytes)}, " +
                (d.Create ? "a new ext4 filesystem" : "kept, with the changes saved on it"));
        if (plan.Note is { } note) output.WriteLine($"  ({note})");
        if (image is not null && target.Exists)
            output.WriteLine(plan.Partition is { Create: false }
                ? $"Everything else on {target.Path} is lost."
                : $"Everything now on {target.Path} is lost.");
    }

    private bool Confirmed(TextWriter output, TextWriter error, string targetPath)
    {
        output.Write($"Type yes to write {targetPath}: ");
        output.Flush();
        var answer = (_input ?? Console.In).ReadLine();
        if (answer?.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase) == true) return true;
        error.WriteLine(answer is null
            ? "Error: no answer (end of input): nothing written. --yes writes without asking"
            : "Nothing written.");
        return false;
    }

    private static void Done(TextWriter output, StickTarget target, StickPlan plan)
    {
        var data = plan.Partition is { } d
            ? $" and {DiskContents.DataLabel} (partition {d.Slot}, {ByteSize.Human(d.SizeBytes)}" +
                $"{(d.Create ? "" : ", kept with the changes saved on it")})"
            : "";
        output.WriteLine(plan.ImageBytes is null
            ? $"Done: {target.Path} has {DiskContents.DataLabel} (partition {plan.Partition!.Slot}). From the next " +
                "boot on, changes are saved on it."
            : $"Done: {target.Path} holds the Live image{data}. Boot from it" +
                $"{(plan.Partition is null ? "" : "; changes are saved on the stick")}.");
    }

    private static bool SameFile(string a, string b) =>
        Libc.TryLstat(a, out _) && Libc.TryLstat(b, out _) && Libc.Stat(a) is var sa && Libc.Stat(b) is var sb
        && sa.stx_ino == sb.stx_ino && sa.Device == sb.Device;

}
