// Checks every constant and struct layout of the interop layer against the real kernel and libc
// headers: the test writes C with one _Static_assert per value and compiles it with gcc, so a
// wrong number fails the build of that C file and the message names it.
using System.Runtime.InteropServices;
using Preinit.Interop;
using Preinit.Tests.Support;
using Xunit;

namespace Preinit.Tests.Unit;

public class InteropLayoutTests
{
    private static readonly string[] Headers =
    [
        "stddef.h", "errno.h", "fcntl.h", "dirent.h", "spawn.h", "sys/mount.h", "sys/stat.h", "sys/statfs.h", "sys/statvfs.h",
        "sys/syscall.h", "sys/reboot.h", "sys/ioctl.h", "sys/wait.h", "signal.h", "unistd.h", "time.h",
        "linux/loop.h", "linux/stat.h", "linux/magic.h", "linux/module.h", "sys/swap.h", "poll.h", "sys/socket.h",
        "netinet/in.h", "net/if.h", "linux/netlink.h", "linux/rtnetlink.h", "linux/fs.h",
    ];

    private static IEnumerable<(string C, long Managed)> Values()
    {
        (string, long) Off<T>(string cStruct, string field, string? managedField = null) =>
            ($"offsetof(struct {cStruct}, {field})", (long)Marshal.OffsetOf<T>(managedField ?? field));
        (string, long) Size<T>(string cType) => ($"sizeof({cType})", Marshal.SizeOf<T>());

        // mount(2), umount2(2), statfs(2)
        yield return ("MS_RDONLY", (long)Libc.MS_RDONLY); yield return ("MS_NOSUID", (long)Libc.MS_NOSUID);
        yield return ("MS_NODEV", (long)Libc.MS_NODEV); yield return ("MS_NOEXEC", (long)Libc.MS_NOEXEC);
        yield return ("MS_SYNCHRONOUS", (long)Libc.MS_SYNCHRONOUS); yield return ("MS_REMOUNT", (long)Libc.MS_REMOUNT);
        yield return ("MS_NOATIME", (long)Libc.MS_NOATIME); yield return ("MS_BIND", (long)Libc.MS_BIND);
        yield return ("MS_MOVE", (long)Libc.MS_MOVE); yield return ("MS_REC", (long)Libc.MS_REC);
        yield return ("MS_PRIVATE", (long)Libc.MS_PRIVATE); yield return ("MS_SLAVE", (long)Libc.MS_SLAVE);
        yield return ("MS_SHARED", (long)Libc.MS_SHARED); yield return ("MS_RELATIME", (long)Libc.MS_RELATIME);
        yield return ("MNT_FORCE", Libc.MNT_FORCE); yield return ("MNT_DETACH", Libc.MNT_DETACH);
        yield return ("RAMFS_MAGIC", Libc.RAMFS_MAGIC); yield return ("TMPFS_MAGIC", Libc.TMPFS_MAGIC);
        yield return ("EXT2_SUPER_MAGIC", Libc.EXT2_SUPER_MAGIC); yield return ("PROC_SUPER_MAGIC", Libc.PROC_SUPER_MAGIC);
        yield return ("SYSFS_MAGIC", Libc.SYSFS_MAGIC); yield return ("OVERLAYFS_SUPER_MAGIC", Libc.OVERLAYFS_SUPER_MAGIC);
        yield return ("SYS_pivot_root", Libc.SYS_pivot_root); yield return ("SYS_finit_module", Libc.SYS_finit_module);
        yield return Size<statfs>("struct statfs"); yield return Off<statfs>("statfs", "f_type");
        yield return Off<statfs>("statfs", "f_bsize"); yield return Off<statfs>("statfs", "f_bavail");
        yield return Off<statfs>("statfs", "f_bfree"); yield return Off<statfs>("statfs", "f_files");
        yield return Off<statfs>("statfs", "f_ffree"); yield return Off<statfs>("statfs", "f_flags");
        yield return ("ST_RDONLY", Libc.ST_RDONLY);
        // files
        yield return ("S_IFMT", Libc.S_IFMT); yield return ("S_IFSOCK", Libc.S_IFSOCK); yield return ("S_IFLNK", Libc.S_IFLNK);
        yield return ("S_IFREG", Libc.S_IFREG); yield return ("S_IFBLK", Libc.S_IFBLK); yield return ("S_IFDIR", Libc.S_IFDIR);
        yield return ("S_IFCHR", Libc.S_IFCHR); yield return ("S_IFIFO", Libc.S_IFIFO);
        yield return ("O_RDONLY", Libc.O_RDONLY); yield return ("O_WRONLY", Libc.O_WRONLY); yield return ("O_RDWR", Libc.O_RDWR);
        yield return ("O_CREAT", Libc.O_CREAT); yield return ("O_EXCL", Libc.O_EXCL); yield return ("O_NOCTTY", Libc.O_NOCTTY);
        yield return ("O_TRUNC", Libc.O_TRUNC); yield return ("O_DIRECTORY", Libc.O_DIRECTORY);
        yield return ("O_NOFOLLOW", Libc.O_NOFOLLOW); yield return ("O_CLOEXEC", Libc.O_CLOEXEC);
        yield return ("AT_FDCWD", Libc.AT_FDCWD); yield return ("AT_SYMLINK_NOFOLLOW", Libc.AT_SYMLINK_NOFOLLOW);
        yield return ("STATX_BASIC_STATS", Libc.STATX_BASIC_STATS); yield return ("STATX_MNT_ID", Libc.STATX_MNT_ID);
        yield return ("X_OK", Libc.X_OK); yield return ("W_OK", Libc.W_OK); yield return ("R_OK", Libc.R_OK);
        yield return ("RENAME_EXCHANGE", Libc.RENAME_EXCHANGE);
        yield return ("ERANGE", Errno.ERANGE); yield return ("ENODATA", Errno.ENODATA);
        yield return Size<statx>("struct statx"); yield return Size<timespec>("struct timespec");
        yield return Size<statx_timestamp>("struct statx_timestamp");
        foreach (var f in new[] { "stx_mask", "stx_blksize", "stx_attributes", "stx_nlink", "stx_uid", "stx_gid", "stx_mode",
                     "stx_ino", "stx_size", "stx_blocks", "stx_attributes_mask", "stx_atime", "stx_btime", "stx_ctime",
                     "stx_mtime", "stx_rdev_major", "stx_rdev_minor", "stx_dev_major", "stx_dev_minor", "stx_mnt_id" })
            yield return Off<statx>("statx", f);
        // getdents64(2): struct linux_dirent64 has glibc's struct dirent64 layout
        foreach (var (f, offset) in new[] { ("d_ino", linux_dirent64.d_ino), ("d_off", linux_dirent64.d_off),
                     ("d_reclen", linux_dirent64.d_reclen), ("d_type", linux_dirent64.d_type), ("d_name", linux_dirent64.d_name) })
            yield return ($"offsetof(struct dirent64, {f})", offset);
        // whole disks
        yield return ("AT_EMPTY_PATH", Libc.AT_EMPTY_PATH);
        yield return ("BLKRRPART", Libc.BLKRRPART); yield return ("BLKFLSBUF", Libc.BLKFLSBUF);
        yield return ("BLKGETSIZE64", Libc.BLKGETSIZE64); yield return ("POSIX_FADV_DONTNEED", Libc.POSIX_FADV_DONTNEED);
        // loop(4)
        yield return ("LOOP_SET_FD", Libc.LOOP_SET_FD); yield return ("LOOP_CLR_FD", Libc.LOOP_CLR_FD);
        yield return ("LOOP_SET_STATUS64", Libc.LOOP_SET_STATUS64); yield return ("LOOP_GET_STATUS64", Libc.LOOP_GET_STATUS64);
        yield return ("LOOP_SET_CAPACITY", Libc.LOOP_SET_CAPACITY); yield return ("LOOP_CONFIGURE", Libc.LOOP_CONFIGURE);
        yield return ("LOOP_CTL_GET_FREE", Libc.LOOP_CTL_GET_FREE);
        yield return ("LO_FLAGS_READ_ONLY", Libc.LO_FLAGS_READ_ONLY); yield return ("LO_FLAGS_AUTOCLEAR", Libc.LO_FLAGS_AUTOCLEAR);
        yield return ("LO_FLAGS_PARTSCAN", Libc.LO_FLAGS_PARTSCAN); yield return ("LO_FLAGS_DIRECT_IO", Libc.LO_FLAGS_DIRECT_IO);
        yield return ("LO_NAME_SIZE", Libc.LO_NAME_SIZE);
        yield return Size<loop_info64>("struct loop_info64"); yield return Size<loop_config>("struct loop_config");
        foreach (var f in new[] { "lo_device", "lo_inode", "lo_rdevice", "lo_offset", "lo_sizelimit", "lo_number",
                     "lo_encrypt_type", "lo_encrypt_key_size", "lo_flags", "lo_file_name", "lo_crypt_name", "lo_encrypt_key", "lo_init" })
            yield return Off<loop_info64>("loop_info64", f);
        yield return Off<loop_config>("loop_config", "fd"); yield return Off<loop_config>("loop_config", "block_size");
        yield return Off<loop_config>("loop_config", "info"); yield return Off<loop_config>("loop_config", "__reserved");
        // processes
        yield return ("RB_AUTOBOOT", Libc.RB_AUTOBOOT); yield return ("RB_POWER_OFF", Libc.RB_POWER_OFF);
        yield return ("(int)RB_HALT_SYSTEM", Libc.RB_HALT_SYSTEM); yield return ("TIOCSCTTY", Libc.TIOCSCTTY);
        yield return ("TIOCNOTTY", Libc.TIOCNOTTY);
        yield return ("MODULE_INIT_IGNORE_MODVERSIONS", Libc.MODULE_INIT_IGNORE_MODVERSIONS);
        yield return ("MODULE_INIT_IGNORE_VERMAGIC", Libc.MODULE_INIT_IGNORE_VERMAGIC);
        yield return ("SIGKILL", Libc.SIGKILL); yield return ("SIGTERM", Libc.SIGTERM); yield return ("WNOHANG", Libc.WNOHANG);
        yield return ("sizeof(posix_spawn_file_actions_t)", Libc.FileActionsSize); yield return ("sizeof(posix_spawnattr_t)",
            Libc.SpawnAttrSize);
        yield return ("POSIX_SPAWN_SETSID", Libc.POSIX_SPAWN_SETSID); yield return ("O_NONBLOCK", Libc.O_NONBLOCK);
        // swapon(2)
        yield return ("SWAP_FLAG_PREFER", Libc.SWAP_FLAG_PREFER); yield return ("SWAP_FLAG_PRIO_MASK", Libc.SWAP_FLAG_PRIO_MASK);
        yield return ("SWAP_FLAG_DISCARD", Libc.SWAP_FLAG_DISCARD);
        // netlink(7): kernel uevents
        yield return ("AF_NETLINK", Libc.AF_NETLINK); yield return ("SOCK_DGRAM", Libc.SOCK_DGRAM);
        yield return ("SOCK_CLOEXEC", Libc.SOCK_CLOEXEC); yield return ("NETLINK_KOBJECT_UEVENT", Libc.NETLINK_KOBJECT_UEVENT);
        yield return ("SOL_SOCKET", Libc.SOL_SOCKET); yield return ("SO_RCVBUFFORCE", Libc.SO_RCVBUFFORCE);
        yield return ("POLLIN", Libc.POLLIN);
        yield return Size<sockaddr_nl>("struct sockaddr_nl"); yield return Off<sockaddr_nl>("sockaddr_nl", "nl_pid");
        yield return Off<sockaddr_nl>("sockaddr_nl", "nl_groups");
        yield return Size<pollfd>("struct pollfd"); yield return Off<pollfd>("pollfd", "events");
        yield return Off<pollfd>("pollfd", "revents");
        // rtnetlink(7): links and addresses
        yield return ("NETLINK_ROUTE", Libc.NETLINK_ROUTE); yield return ("IFNAMSIZ", Libc.IFNAMSIZ);
        yield return ("NLMSG_ALIGNTO", Libc.NLMSG_ALIGNTO); yield return ("RTA_ALIGNTO", Libc.RTA_ALIGNTO);
        yield return ("NLMSG_HDRLEN", Libc.NlmsgAlign(Marshal.SizeOf<nlmsghdr>()));
        yield return ("NLMSG_NOOP", Libc.NLMSG_NOOP); yield return ("NLMSG_ERROR", Libc.NLMSG_ERROR);
        yield return ("NLMSG_DONE", Libc.NLMSG_DONE); yield return ("NLM_F_REQUEST", Libc.NLM_F_REQUEST);
        yield return ("NLM_F_MULTI", Libc.NLM_F_MULTI); yield return ("NLM_F_ACK", Libc.NLM_F_ACK);
        yield return ("NLM_F_DUMP", Libc.NLM_F_DUMP); yield return ("NLM_F_EXCL", Libc.NLM_F_EXCL);
        yield return ("NLM_F_CREATE", Libc.NLM_F_CREATE);
        yield return ("RTM_NEWLINK", Libc.RTM_NEWLINK); yield return ("RTM_GETLINK", Libc.RTM_GETLINK);
        yield return ("RTM_NEWADDR", Libc.RTM_NEWADDR); yield return ("RTM_DELADDR", Libc.RTM_DELADDR);
        yield return ("RTM_GETADDR", Libc.RTM_GETADDR); yield return ("IFLA_IFNAME", Libc.IFLA_IFNAME);
        yield return ("IFA_ADDRESS", Libc.IFA_ADDRESS); yield return ("IFA_LOCAL", Libc.IFA_LOCAL);
        yield return ("IFA_BROADCAST", Libc.IFA_BROADCAST); yield return ("IFF_UP", Libc.IFF_UP);
        yield return ("RT_SCOPE_UNIVERSE", Libc.RT_SCOPE_UNIVERSE);
        yield return Size<nlmsghdr>("struct nlmsghdr");
        foreach (var f in new[] { "nlmsg_len", "nlmsg_type", "nlmsg_flags", "nlmsg_seq", "nlmsg_pid" })
            yield return Off<nlmsghdr>("nlmsghdr", f);
        yield return Size<nlmsgerr>("struct nlmsgerr"); yield return Off<nlmsgerr>("nlmsgerr", "error");
        yield return Off<nlmsgerr>("nlmsgerr", "msg");
        yield return Size<rtattr>("struct rtattr"); yield return Off<rtattr>("rtattr", "rta_type");
        yield return Size<ifinfomsg>("struct ifinfomsg");
        foreach (var f in new[] { "ifi_family", "ifi_type", "ifi_index", "ifi_flags", "ifi_change" })
            yield return Off<ifinfomsg>("ifinfomsg", f);
        yield return Size<ifaddrmsg>("struct ifaddrmsg");
        foreach (var f in new[] { "ifa_family", "ifa_prefixlen", "ifa_flags", "ifa_scope", "ifa_index" })
            yield return Off<ifaddrmsg>("ifaddrmsg", f);
        // ip(7), udp(7)
        yield return ("AF_INET", Libc.AF_INET); yield return ("IPPROTO_UDP", Libc.IPPROTO_UDP);
        yield return ("SO_BROADCAST", Libc.SO_BROADCAST); yield return ("SO_BINDTODEVICE", Libc.SO_BINDTODEVICE);
        yield return Size<in_addr>("struct in_addr"); yield return Size<sockaddr_in>("struct sockaddr_in");
        foreach (var f in new[] { "sin_family", "sin_port", "sin_addr", "sin_zero" })
            yield return Off<sockaddr_in>("sockaddr_in", f);
        // errno
        foreach (var (name, value) in new[] { ("EPERM", Errno.EPERM), ("ENOENT", Errno.ENOENT), ("EINTR", Errno.EINTR),
                     ("EIO", Errno.EIO), ("ENXIO", Errno.ENXIO), ("E2BIG", Errno.E2BIG), ("ENOEXEC", Errno.ENOEXEC),
                     ("EBADF", Errno.EBADF), ("EAGAIN", Errno.EAGAIN), ("ENOMEM", Errno.ENOMEM), ("EACCES", Errno.EACCES),
                     ("EBUSY", Errno.EBUSY), ("EEXIST", Errno.EEXIST), ("EXDEV", Errno.EXDEV), ("ENODEV", Errno.ENODEV),
                     ("ENOTDIR", Errno.ENOTDIR), ("EISDIR", Errno.EISDIR), ("EINVAL", Errno.EINVAL), ("ENOSPC", Errno.ENOSPC),
                     ("EROFS", Errno.EROFS), ("EMLINK", Errno.EMLINK), ("ENAMETOOLONG", Errno.ENAMETOOLONG),
                     ("ENOSYS", Errno.ENOSYS), ("ENOTEMPTY", Errno.ENOTEMPTY), ("ELOOP", Errno.ELOOP),
                     ("ENOTTY", Errno.ENOTTY), ("ETXTBSY", Errno.ETXTBSY), ("ECHILD", Libc.ECHILD),
                     ("EOPNOTSUPP", Errno.EOPNOTSUPP), ("EADDRNOTAVAIL", Errno.EADDRNOTAVAIL),
                     ("ENETDOWN", Errno.ENETDOWN), ("ENETUNREACH", Errno.ENETUNREACH), ("ENOBUFS", Errno.ENOBUFS),
                     ("EFBIG", Errno.EFBIG), ("ENOPKG", Errno.ENOPKG), ("EBADMSG", Errno.EBADMSG), ("ENOKEY", Errno.ENOKEY),
                     ("EKEYREJECTED", Errno.EKEYREJECTED) })
            yield return (name, value);
    }

    [ToolFact("gcc")]
    public void ConstantsAndStructs_MatchTheKernelAndLibcHeaders()
    {
        var dir = Directory.CreateTempSubdirectory("preinit-interop.").FullName;
        try
        {
            var source = Path.Combine(dir, "layout.c");
            var lines = new List<string> { "#define _GNU_SOURCE" };
            lines.AddRange(Headers.Select(h => $"#include <{h}>"));
            lines.Add("#include <sys/sysmacros.h>");
            var n = 0;
            foreach (var (c, managed) in Values())
                lines.Add($"_Static_assert((long long)({c}) == {managed}LL, \"{c.Replace("\"", "")} is not {managed} ({n++})\");");
            File.WriteAllLines(source, lines);

            var gccRun = Tools.Capture("gcc", ["-fsyntax-only", "-std=gnu11", source]);
            Assert.True(gccRun.Exit == 0, "interop values differ from the headers:\n" + gccRun.Error);
            Assert.True(n > 100, $"only {n} values checked");
        }
        finally { Directory.Delete(dir, true); }
    }
}
