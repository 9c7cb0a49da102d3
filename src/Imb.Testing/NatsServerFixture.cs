using System.Globalization;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Xunit;

namespace Imb.Testing;

/// <summary>
/// A real JetStream server for a test assembly: a nats-server process on a free loopback port (default), the
/// server in <c>IMB_TEST_NATS_URL</c>, or a container when <c>IMB_TEST_NATS=container</c>. It never skips: when no
/// server can be had, start fails and says why. Tests isolate themselves by name (<see cref="NewName"/>).
/// </summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    /// <summary>The environment variable naming an external server to test against.</summary>
    public const string UrlVariable = "IMB_TEST_NATS_URL";

    /// <summary>The environment variable choosing the source: <c>process</c> (default) or <c>container</c>.</summary>
    public const string SourceVariable = "IMB_TEST_NATS";

    /// <summary>The environment variable naming the nats-server executable the kit's processes run (<see cref="NatsNode"/>); unset, <c>nats-server</c> on <c>PATH</c>.</summary>
    public const string ServerVariable = "IMB_TEST_NATS_SERVER";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "imb-tests", Guid.NewGuid().ToString("N")[..12]);
    private IContainer? _container;
    private NatsNode? _node;
    private int _names;

    /// <summary>Gets the client URL of the server.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Gets where the server came from.</summary>
    public NatsServerSource Source { get; private set; }

    /// <summary>Gets the server process, for tests that kill, restart or pause it.</summary>
    /// <exception cref="InvalidOperationException">The server is not a process this fixture runs.</exception>
    public NatsNode Node => _node ?? throw new InvalidOperationException(
        $"This test controls the server process, which the {Source} source does not allow; unset {UrlVariable} and {SourceVariable}.");

    /// <summary>Gets a directory for this fixture's temporary files, removed at the end.</summary>
    public string Directory => _directory;

    /// <summary>Returns a name unique within this server, for streams, consumers and subjects.</summary>
    /// <param name="prefix">A readable prefix (letters, digits, '_' and '-').</param>
    /// <returns>The prefix with a unique suffix.</returns>
    public string NewName(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Interlocked.Increment(ref _names)}_{Guid.NewGuid().ToString("N")[..6]}");

    /// <inheritdoc/>
    public ValueTask InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        var source = !string.IsNullOrWhiteSpace(url) ? NatsServerSource.External
            : string.Equals(Environment.GetEnvironmentVariable(SourceVariable), "container", StringComparison.OrdinalIgnoreCase) ? NatsServerSource.Container
            : NatsServerSource.Process;
        return StartAsync(source, url);
    }

    /// <summary>Starts the server from the given source; <see cref="InitializeAsync"/> chooses it from the environment.</summary>
    internal async ValueTask StartAsync(NatsServerSource source, string? url = null)
    {
        Source = source;
        switch (source)
        {
            case NatsServerSource.External:
                Url = url ?? throw new ArgumentNullException(nameof(url));
                break;
            case NatsServerSource.Container:
                Url = await StartContainerAsync().ConfigureAwait(false);
                break;
            default:
                _node = await NatsNode.StartAsync("imb-test", Path.Combine(_directory, "server")).ConfigureAwait(false);
                Url = _node.Url;
                break;
        }
    }

    /// <summary>Gets a value indicating whether a Docker engine socket is present, as Testcontainers needs.</summary>
    internal static bool DockerEngineLikelyAvailable =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync().ConfigureAwait(false);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<string> StartContainerAsync()
    {
        try
        {
            _container = new ContainerBuilder("nats:2.10-alpine")
                .WithCommand("--jetstream")
                .WithPortBinding(4222, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Server is ready"))
                .Build();
            await _container.StartAsync().ConfigureAwait(false);
            return $"nats://127.0.0.1:{_container.GetMappedPublicPort(4222)}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"{SourceVariable}=container asks for a NATS container, but it could not be started ({e.Message}). " +
                $"A Docker engine must be running; unset {SourceVariable} to test against a nats-server process instead.", e);
        }
    }
}
