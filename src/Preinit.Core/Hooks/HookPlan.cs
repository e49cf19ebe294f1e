// The hook table: modules registered in name order (glob order of /lib/preinit), each function
// under its hook in the order added. Pure: building it runs nothing.
namespace Preinit.Core.Hooks;

public sealed class HookPlan
{
    private readonly HookRegistrar _registrar = new();

    public HookPlan(IEnumerable<IPreinitModule> modules)
    {
        foreach (var module in modules.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            _registrar.BeginModule(module.Name);
            module.Register(_registrar);
        }
    }

    public IReadOnlyList<HookFunction> Functions(string hook) =>
        _registrar.Functions.Where(f => f.Hook == hook).ToList();

    public IReadOnlyList<string> Problems => _registrar.Problems;
}
