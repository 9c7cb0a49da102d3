using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Imb.Server;

/// <summary>
/// An exclusive lock on a store directory: nats-server 2.9 lets two servers share one store without complaint,
/// which corrupts it. The lock is an OS file lock, so it dies with its process and a crashed host never leaves a
/// stale lock behind; the pid files beside it are for messages and for finding an orphaned server.
/// </summary>
internal sealed class StoreDirectoryLock : IDisposable
{
    private readonly FileStream _lock;

    private StoreDirectoryLock(string runtimeDirectory, FileStream lockStream)
    {
        RuntimeDirectory = runtimeDirectory;
        _lock = lockStream;
    }

    /// <summary>Gets the directory for Imb's files about the server: lock, owner, configuration, pid and ports files.</summary>
    public string RuntimeDirectory { get; }

    public string ServerPidFile => Path.Combine(RuntimeDirectory, "nats-server.pid");

    public static string RuntimeDirectoryOf(string storeDirectory) => Path.Combine(storeDirectory, "imb");

    public static StoreDirectoryLock Acquire(string storeDirectory, ILogger logger)
    {
        var runtime = RuntimeDirectoryOf(storeDirectory);
        Directory.CreateDirectory(runtime);
        var ownerFile = Path.Combine(runtime, "owner.pid");
        FileStream stream;
        try
        {
            // FileShare.None takes an flock(LOCK_EX) on Unix, released by the kernel when the process dies.
            stream = new FileStream(Path.Combine(runtime, "imb.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            var owner = ReadPid(ownerFile);
            throw new ImbException(
                $"The store directory '{storeDirectory}' is in use by another Imb process" +
                (owner is { } pid ? $" (pid {pid})" : string.Empty) +
                ". Each embedded server needs its own Imb:Embedded:StoreDirectory.", e);
        }

        if (ReadPid(ownerFile) is { } previous && previous != Environment.ProcessId)
        {
            logger.StaleLockReclaimed(storeDirectory, previous);
        }

        File.WriteAllText(ownerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new StoreDirectoryLock(runtime, stream);
    }

    /// <summary>Finds a nats-server that a dead host left running on this store, by the pid file it wrote.</summary>
    public int? FindOrphanedServer()
    {
        if (ReadPid(ServerPidFile) is not { } pid || !PosixSignal.IsAlive(pid))
        {
            return null;
        }

        // The pid may have been reused by an unrelated process: only a nats-server using our files counts.
        var commandLine = ReadCommandLine(pid);
        return commandLine.Contains(ServerBinary.DefaultName, StringComparison.Ordinal) &&
               commandLine.Contains(RuntimeDirectory, StringComparison.Ordinal)
            ? pid
            : null;
    }

    public void Dispose() => _lock.Dispose();

    internal static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
