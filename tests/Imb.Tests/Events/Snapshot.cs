namespace Imb.Tests.Events;

/// <summary>Compares text with a committed approved file; on a difference it writes the received text beside it and fails.</summary>
internal static class Snapshot
{
    private static readonly string Directory = FindApprovedDirectory();

    public static void Match(string name, string received)
    {
        var approvedPath = Path.Combine(Directory, name);
        var receivedPath = Path.ChangeExtension(approvedPath, ".received" + Path.GetExtension(name));
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).TrimEnd('\n') : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received + "\n");
        Assert.Fail(approved is null
            ? $"No approved file {approvedPath}; review {receivedPath} and rename it to approve it."
            : $"{name} differs from its approved file.\napproved: {approved}\nreceived: {received}\n(written to {receivedPath})");
    }

    private static string FindApprovedDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Imb.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "Imb.Tests", "Events", "Approved");
            }
        }

        throw new InvalidOperationException($"No Imb.sln above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
