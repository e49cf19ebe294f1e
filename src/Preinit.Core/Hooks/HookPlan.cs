// The hook table: modules in name order (glob order of /lib/preinit), each function under its hook in
// the order added. Our modules register first, so a shell hook file that defines a function with one
// of our names is the one reported, wherever its file sorts. Pure: building it runs nothing.
namespace Preinit.Core.Hooks;

public sealed class HookPlan
{
    private readonly HookRegistrar _registrar = new();

    private readonly IReadOnlyList<HookFunction> _functions;
    private readonly List<string> _earlier;

    /// <param name="problems">Problems found before the plan was made (reading shell hook files), reported with its own.</param>
    public HookPlan(IEnumerable<IPreinitModule> modules, IEnumerable<string>? problems = null)
    {
        _earlier = problems?.ToList() ?? [];
        var ordered = modules.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        foreach (var foreign in (ReadOnlySpan<bool>)[false, true])
            for (var rank = 0; rank < ordered.Count; rank++)
            {
                var module = ordered[rank];
                if (module.Foreign != foreign) continue;
                _registrar.BeginModule(module.Name, module.Source, rank, module.Foreign);
                module.Register(_registrar);
            }
        _functions = _registrar.Functions;
    }

    public IReadOnlyList<HookFunction> Functions(string hook) =>
        _functions.Where(f => f.Hook == hook).ToList();

    public IReadOnlyList<string> Problems => [.. _earlier, .. _registrar.Problems];
}
