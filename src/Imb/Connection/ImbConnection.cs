using Imb.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.Connection;

/// <summary>
/// Imb's one NATS connection: opened at host start within a bounded budget, reconnecting afterwards, and every
/// connection event logged with a stable id.
/// </summary>
internal sealed class ImbConnection : IImbServerInfo, IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);
    private readonly ImbOptions _options;
    private readonly EmbeddedNatsServer _embedded;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private NatsConnection? _connection;
    private NatsJSContext? _jetStream;
    private NatsJSContext? _publishing;
    private TaskCompletionSource _nextRestore = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ImbConnection(IOptions<ImbOptions> options, EmbeddedNatsServer embedded, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options.Value;
        _embedded = embedded;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Imb.Connection");
        _time = time;
        _redactor = new SecretRedactor(_options);
    }

    public INatsConnection Connection => _connection ?? throw NotStarted();

    /// <summary>Gets the context for JetStream's API (streams, consumers, pulls): its requests wait up to <see cref="ImbOptions.ConnectTimeout"/>, or AckTimeout if that is longer.</summary>
    public INatsJSContext JetStream => _jetStream ?? throw NotStarted();

    /// <summary>Gets the context publishes go through: a publish attempt waits up to <see cref="PublishingOptions.AckTimeout"/> for its ack.</summary>
    public INatsJSContext Publishing => _publishing ?? throw NotStarted();

    public bool IsConnected => _connection?.ConnectionState == NatsConnectionState.Open;

    public Version ServerVersion { get; private set; } = new(0, 0, 0);

    /// <summary>Raised when the connection is lost; subscriptions mark themselves recovering.</summary>
    public event Action? ConnectionLost;

    /// <summary>Raised when the connection is back: a restarted server has forgotten every pull request, so consumers pull anew.</summary>
    public event Action? ConnectionRestored;

    /// <summary>Gets a task that completes when the connection is next restored: what was sent before then may have lost its reply.</summary>
    public Task NextRestore => Volatile.Read(ref _nextRestore).Task;

    public string ServerName { get; private set; } = string.Empty;

    public string Servers { get; private set; } = string.Empty;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> servers = _options.Mode == ImbMode.Embedded ? [_embedded.ClientUrl.GetLeftPart(UriPartial.Authority)] : [.. _options.Servers];
        Servers = SecretRedactor.DescribeServers(servers);
        var opts = await NatsOptionsFactory.CreateAsync(_options, servers, _loggerFactory, cancellationToken).ConfigureAwait(false);
        _logger.Connecting(Servers);

        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var connection = new NatsConnection(opts);
            try
            {
                await connection.ConnectAsync().ConfigureAwait(false);
            }
            catch (NatsException e)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                delay = await HandleConnectFailureAsync(e, attempt, started, delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (connection.ServerInfo is { JetStreamAvailable: false } info)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new ImbException($"The NATS server {info.Name} at {Servers} does not have JetStream enabled, which Imb needs.");
            }

            Attach(connection);
            return;
        }
    }

    private async Task<TimeSpan> HandleConnectFailureAsync(NatsException e, int attempt, long started, TimeSpan delay, CancellationToken cancellationToken)
    {
        var reason = _redactor.Redact(Describe(e));
        if (IsAuthenticationFailure(e))
        {
            // Credentials do not fix themselves: fail now rather than after the whole budget.
            throw new ImbException($"NATS at {Servers} rejected Imb's credentials: {reason}");
        }

        if (_time.GetElapsedTime(started) + delay > _options.StartupConnectTimeout)
        {
            throw new ImbException(
                $"Could not connect to NATS at {Servers} within {_options.StartupConnectTimeout} " +
                $"(Imb:StartupConnectTimeout, {attempt} attempts): {reason}");
        }

        _logger.ConnectAttemptFailed(attempt, Servers, reason, delay);
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        return Backoff.Next(delay, MaxRetryDelay);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _logger.ConnectionClosing(Servers);
            _connection = null;
            _jetStream = null;
            _publishing = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Attach(NatsConnection connection)
    {
        var info = connection.ServerInfo;
        ServerVersion = ServerFeatureGate.ParseVersion(info?.Version);
        ServerName = info?.Name ?? string.Empty;
        _logger.Connected(ServerName, ServerVersion, Servers, info?.JetStreamAvailable ?? false);
        // The event's message is the URL of the server concerned: in a cluster, more precise than the list.
        connection.ConnectionDisconnected += (_, e) => Logged(() =>
        {
            var server = _redactor.Redact(e.Message);
            _logger.Disconnected(server);
            ConnectionLost?.Invoke();
        });
        connection.ConnectionOpened += (_, e) => Logged(() =>
        {
            var server = _redactor.Redact(e.Message);
            _logger.Reconnected(server);
            Interlocked.Exchange(ref _nextRestore, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            ConnectionRestored?.Invoke();
        });
        connection.ReconnectFailed += (_, e) => Logged(() => _logger.ReconnectFailed(Servers, _redactor.Redact(e.Message)));
        connection.LameDuckModeActivated += (_, _) => Logged(() => _logger.LameDuckMode(Servers));
        connection.SlowConsumerDetected += (_, e) => Logged(() => _logger.SlowConsumer(e.Subscription.Subject));
        connection.MessageDropped += (_, e) => Logged(() => _logger.MessageDropped(e.Subject, e.Pending));
        connection.ServerError += (_, e) => Logged(() =>
        {
            var error = _redactor.Redact(e.Error);
            if (error.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase) && error.Contains("$JS.API", StringComparison.Ordinal))
            {
                JetStreamPermissionDenied = error;
            }

            if (error.Contains("Authorization", StringComparison.OrdinalIgnoreCase) || error.Contains("Authentication", StringComparison.OrdinalIgnoreCase))
            {
                _logger.AuthenticationError(Servers, error);
            }
            else
            {
                _logger.ServerError(Servers, error);
            }
        });
        _connection = connection;
        // A publish attempt waits for its ack as long as the publishing context waits for any reply.
        _publishing = new NatsJSContext(connection, new NatsJSOpts(connection.Opts, requestTimeout: _options.Publishing.AckTimeout));

        // Not the ack timeout: one tuned short for publishing must not fail provisioning on a busy server.
        var apiTimeout = _options.ConnectTimeout > _options.Publishing.AckTimeout ? _options.ConnectTimeout : _options.Publishing.AckTimeout;
        _jetStream = new NatsJSContext(connection, new NatsJSOpts(connection.Opts, requestTimeout: apiTimeout));
    }

    /// <summary>Gets the server's last refusal of a JetStream API request for lack of permission (its -ERR), if any: such a request only times out.</summary>
    public string? JetStreamPermissionDenied { get; private set; }

    private static ValueTask Logged(Action log)
    {
        log();
        return ValueTask.CompletedTask;
    }

    private static bool IsAuthenticationFailure(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current.Message.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase) ||
                current.Message.Contains("Authentication", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private static InvalidOperationException NotStarted() =>
        new("Imb is not connected: the host has not been started, or it has stopped.");
}
