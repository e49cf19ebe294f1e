// The names of the boot logs kept on the stick (.preinit/boots/NNNN-YYYYMMDD-HHMMSS.log): a sequence
// number, so the order does not depend on a clock that may be wrong or reset, then the date for
// people. Which to keep and which to remove is decided here, from the names alone.
using System.Globalization;

namespace Preinit.Core.BootLogs;

public sealed class BootRecordName(string fileName, long number, DateTime utc)
{
    /// <summary>Where the records live, relative to the top of the stick's filesystem (beside upper/ and work/).</summary>
    public const string Directory = ".preinit/boots";
    public const int Keep = 10;
    private const string DateFormat = "yyyyMMdd-HHmmss", Extension = ".log";

    public string FileName { get; } = fileName;
    public long Number { get; } = number;
    public DateTime Utc { get; } = utc;

    public static string Format(long number, DateTime utc) =>
        $"{number.ToString("D4", CultureInfo.InvariantCulture)}-{utc.ToString(DateFormat, CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>False for anything else in the directory (a temporary file, a file someone put there): it is never removed.</summary>
    public static bool TryParse(string fileName, out BootRecordName name)
    {
        name = null!;
        var dash = fileName.IndexOf('-');
        if (dash < 1 || !fileName.EndsWith(Extension, StringComparison.Ordinal)) return false;
        var date = fileName.AsSpan(dash + 1, fileName.Length - dash - 1 - Extension.Length);
        if (!long.TryParse(fileName.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || !TryDate(date, out var utc))
            return false;
        name = new BootRecordName(fileName, n, utc);
        return true;
    }

    /// <summary>yyyyMMdd-HHmmss by hand: DateTime.TryParseExact would add .NET's whole date parser (36 KB) to the binary.</summary>
    private static bool TryDate(ReadOnlySpan<char> text, out DateTime utc)
    {
        utc = default;
        if (text.Length != DateFormat.Length || text[8] != '-') return false;
        if (!Digits(text[..4], out var year) || !Digits(text[4..6], out var month) || !Digits(text[6..8], out var day)
            || !Digits(text[9..11], out var hour) || !Digits(text[11..13], out var minute) || !Digits(text[13..], out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59
            || second > 59)
            return false;
        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>The records among <paramref name="fileNames"/>, newest (highest number) first: index 0 is `--boot 0`.</summary>
    public static List<BootRecordName> NewestFirst(IEnumerable<string> fileNames)
    {
        var records = new List<BootRecordName>();
        foreach (var f in fileNames)
            if (TryParse(f, out var r)) records.Add(r);
        records.Sort((a, b) => b.Number.CompareTo(a.Number));
        return records;
    }

    /// <summary>The number the next record takes: one more than the highest there.</summary>
    public static long Next(IEnumerable<string> fileNames)
    {
        var newest = NewestFirst(fileNames);
        return newest.Count == 0 ? 1 : newest[0].Number + 1;
    }

    /// <summary>The records beyond the newest <paramref name="keep"/>, oldest first: the order they are removed in.</summary>
    public static List<string> ToRemove(IEnumerable<string> fileNames, int keep = Keep)
    {
        var newest = NewestFirst(fileNames);
        var remove = new List<string>();
        for (var i = newest.Count - 1; i >= keep; i--) remove.Add(newest[i].FileName);
        return remove;
    }
}
