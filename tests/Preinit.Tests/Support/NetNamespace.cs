// A network namespace of the test's own, on a thread of its own. Linux keeps the network namespace
// per thread, so unshare(CLONE_NEWNET) on a dedicated thread never touches the machine's network;
// every socket made and every tool started from that thread lives in the new namespace, and the
// namespace goes away, with every interface in it, once the thread has ended and its sockets are closed.
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Preinit.Interop;

namespace Preinit.Tests.Support;

public sealed partial class NetNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    /// <summary>The kernel's id of the namespace's thread: `ip link set DEV netns TID` moves an interface here.</summary>
    public int ThreadId { get; private set; }

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int Gettid();

    public NetNamespace()
    {
        Tier.Require(Tier.RootMissing());
        Tier.Require(Tier.Which("ip") is null ? "ip (iproute2) not installed" : null);
        var ready = new TaskCompletionSource();
        _thread = new Thread(() =>
        {
            if (Unshare(CLONE_NEWNET) != 0)
            {
                ready.SetException(new SystemCallException("unshare(CLONE_NEWNET)", Marshal.GetLastPInvokeError()));
                return;
            }
            ThreadId = Gettid();
            ready.SetResult();
            foreach (var work in _work.GetConsumingEnumerable()) work();
        }) { IsBackground = true, Name = "network namespace" };
        _thread.Start();
        ready.Task.GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="function"/> in this namespace and returns its result (or throws what it threw).</summary>
    public T Run<T>(Func<T> function)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { result.SetResult(function()); }
            catch (Exception e) { result.SetException(e); }
        });
        return result.Task.GetAwaiter().GetResult();
    }

    /// <summary>ip(8) in this namespace; returns its output.</summary>
    public string Ip(params string[] args) => Run(() => Tools.Run("ip", args));

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
    }
}
