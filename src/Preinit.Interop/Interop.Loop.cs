// Loop device ioctls and structures from linux/loop.h.
using System.Runtime.InteropServices;

namespace Preinit.Interop;

public static partial class Libc
{
    public const uint LOOP_SET_FD = 0x4C00, LOOP_CLR_FD = 0x4C01, LOOP_SET_STATUS64 = 0x4C04,
        LOOP_GET_STATUS64 = 0x4C05, LOOP_SET_CAPACITY = 0x4C07, LOOP_CONFIGURE = 0x4C0A,
        LOOP_CTL_GET_FREE = 0x4C82;

    public const uint LO_FLAGS_READ_ONLY = 1, LO_FLAGS_AUTOCLEAR = 4, LO_FLAGS_PARTSCAN = 8,
        LO_FLAGS_DIRECT_IO = 16;

    public const int LO_NAME_SIZE = 64;

    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlRaw(int fd, ulong request, nint arg);

    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int IoctlPtr(int fd, ulong request, void* arg);

    /// <summary>ioctl with an integer argument; returns the ioctl's result.</summary>
    public static int Ioctl(int fd, uint request, nint arg) =>
        Check(Retry(() => IoctlRaw(fd, request, arg)), () => $"ioctl({fd}, 0x{request:x}, {arg})");

    public static unsafe void Ioctl<T>(int fd, uint request, ref T arg) where T : unmanaged
    {
        fixed (T* p = &arg)
        {
            var ptr = p;
            Check(Retry(() => IoctlPtr(fd, request, ptr)), () => $"ioctl({fd}, 0x{request:x}, &{typeof(T).Name})");
        }
    }

    /// <summary>ioctl returning errno instead of throwing, for calls with a fallback (LOOP_CONFIGURE on old kernels).</summary>
    public static int TryIoctl(int fd, uint request, nint arg) =>
        Retry(() => IoctlRaw(fd, request, arg)) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static unsafe int TryIoctl<T>(int fd, uint request, ref T arg) where T : unmanaged
    {
        fixed (T* p = &arg)
        {
            var ptr = p;
            return Retry(() => IoctlPtr(fd, request, ptr)) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }
}

/// <summary>struct loop_info64 (linux/loop.h), 232 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct loop_info64
{
    public ulong lo_device, lo_inode, lo_rdevice, lo_offset, lo_sizelimit;
    public uint lo_number, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
    public fixed byte lo_file_name[Libc.LO_NAME_SIZE];
    public fixed byte lo_crypt_name[Libc.LO_NAME_SIZE];
    public fixed byte lo_encrypt_key[32];
    public fixed ulong lo_init[2];
}

/// <summary>struct loop_config (linux/loop.h), 304 bytes: LOOP_CONFIGURE sets fd and status in one call.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct loop_config
{
    public uint fd, block_size;
    public loop_info64 info;
    public fixed ulong __reserved[8];
}
