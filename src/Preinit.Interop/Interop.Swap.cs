// swapon(2) and swapoff(2), with the priority flags of <sys/swap.h>.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const int SWAP_FLAG_PREFER = 0x8000, SWAP_FLAG_PRIO_MASK = 0x7fff, SWAP_FLAG_DISCARD = 0x10000;

    [LibraryImport(Name, EntryPoint = "swapon", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SwaponRaw(string path, int flags);

    [LibraryImport(Name, EntryPoint = "swapoff", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SwapoffRaw(string path);

    public static void Swapon(string path, int flags) =>
        Check(SwaponRaw(path, flags), () => $"swapon({Quote(path)}, 0x{flags:x})");

    public static void Swapoff(string path) => Check(SwapoffRaw(path), () => $"swapoff({Quote(path)})");
}
