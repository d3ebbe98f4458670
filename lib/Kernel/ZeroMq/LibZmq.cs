using System.Runtime.InteropServices;

namespace Course.Kernel.ZeroMq;

/// <summary>
/// The part of libzmq's C API the kernel uses, bound to Debian's libzmq5 (libzmq.so.5). Only this file declares
/// native entry points; <see cref="ZmqSocket"/> and <see cref="ZmqContext"/> wrap them.
/// </summary>
internal static unsafe partial class LibZmq
{
    private const string Library = "libzmq.so.5";

    // socket types
    public const int PUB = 1, REP = 4, ROUTER = 6;
    // socket options
    public const int LINGER = 17, RCVMORE = 13, ROUTER_HANDOVER = 56;
    // send/recv flags
    public const int DONTWAIT = 1, SNDMORE = 2;
    // poll events
    public const short POLLIN = 1;
    // errno values libzmq reports
    public const int EINTR = 4, EAGAIN = 11, ETERM = 156384712 + 53;

    /// <summary>zmq_msg_t: 64 opaque bytes, pointer-aligned.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Message { private long _first; }

    /// <summary>zmq_pollitem_t on Linux: a socket pointer or a file descriptor, the events asked for and those that happened.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollItem
    {
        public nint Socket;
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, EntryPoint = "zmq_version")]
    public static partial void Version(out int major, out int minor, out int patch);

    [LibraryImport(Library, EntryPoint = "zmq_ctx_new")]
    public static partial nint CtxNew();

    [LibraryImport(Library, EntryPoint = "zmq_ctx_term")]
    public static partial int CtxTerm(nint context);

    [LibraryImport(Library, EntryPoint = "zmq_socket")]
    public static partial nint Socket(nint context, int type);

    [LibraryImport(Library, EntryPoint = "zmq_close")]
    public static partial int Close(nint socket);

    [LibraryImport(Library, EntryPoint = "zmq_bind", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Bind(nint socket, string endpoint);

    [LibraryImport(Library, EntryPoint = "zmq_setsockopt")]
    public static partial int SetSockOpt(nint socket, int option, void* value, nuint size);

    [LibraryImport(Library, EntryPoint = "zmq_getsockopt")]
    public static partial int GetSockOpt(nint socket, int option, void* value, ref nuint size);

    [LibraryImport(Library, EntryPoint = "zmq_send")]
    public static partial int Send(nint socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "zmq_msg_init")]
    public static partial int MsgInit(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_recv")]
    public static partial int MsgRecv(Message* message, nint socket, int flags);

    [LibraryImport(Library, EntryPoint = "zmq_msg_data")]
    public static partial byte* MsgData(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_size")]
    public static partial nuint MsgSize(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_close")]
    public static partial int MsgClose(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_poll")]
    public static partial int Poll(PollItem* items, int count, long timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "zmq_errno")]
    public static partial int Errno();

    [LibraryImport(Library, EntryPoint = "zmq_strerror")]
    public static partial nint StrError(int error);

    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"error {error}";
}
