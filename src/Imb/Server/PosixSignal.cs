using System.Runtime.InteropServices;

namespace Imb.Server;

/// <summary>Sends POSIX signals: .NET can only SIGKILL a process, and nats-server stops gracefully on SIGTERM.</summary>
internal static partial class PosixSignal
{
    public const int Terminate = 15;
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Continue = 18;

    public static bool Send(int processId, int signal) => SysKill(processId, signal) == 0;

    public static bool IsAlive(int processId) => SysKill(processId, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int sig);
}
