// Splits /proc/cmdline the way the kernel's next_arg() does (lib/cmdline.c): whitespace separates
// parameters, double quotes group (around the value or the whole parameter), "--" ends the list.
namespace Preinit.Core.Configuration;

/// <summary>One kernel parameter: <c>key=value</c>, or a bare <c>key</c> (Value is null).</summary>
public sealed record KernelParameter(string Key, string? Value);

public static class KernelCommandLine
{
    public static IReadOnlyList<KernelParameter> Parse(string text)
    {
        var result = new List<KernelParameter>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;

            var word = new System.Text.StringBuilder();
            var inQuote = false;
            int? equals = null;
            for (; i < text.Length && (inQuote || !char.IsWhiteSpace(text[i])); i++)
            {
                var c = text[i];
                if (c == '"') { inQuote = !inQuote; continue; }
                if (c == '=' && equals is null) equals = word.Length;
                word.Append(c);
            }

            var s = word.ToString();
            if (s == "--") break;
            result.Add(equals is int e ? new KernelParameter(s[..e], s[(e + 1)..]) : new KernelParameter(s, null));
        }
        return result;
    }
}
