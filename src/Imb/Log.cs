using Microsoft.Extensions.Logging;

namespace Imb;

/// <summary>Every log line Imb writes. Event ids are stable: 1xx server process, 2xx connection, 3xx streams, 4xx publish, 5xx subscribe.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Starting embedded nats-server {ServerPath} with store directory {StoreDirectory}")]
    public static partial void ServerStarting(this ILogger logger, string serverPath, string storeDirectory);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Embedded nats-server (pid {ProcessId}) ready at {ClientUrl} in {Elapsed}")]
    public static partial void ServerStarted(this ILogger logger, int processId, Uri clientUrl, TimeSpan elapsed);

    [LoggerMessage(EventId = 102, Message = "{Line}")]
    public static partial void ServerOutput(this ILogger logger, LogLevel level, string line);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Embedded nats-server (pid {ProcessId}) exited unexpectedly with code {ExitCode}; last output: {LastOutput}")]
    public static partial void ServerExitedUnexpectedly(this ILogger logger, int processId, int exitCode, string lastOutput);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Restarting embedded nats-server on port {Port} in {Delay} (attempt {Attempt})")]
    public static partial void ServerRestarting(this ILogger logger, int port, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Restart of embedded nats-server on port {Port} failed (attempt {Attempt})")]
    public static partial void ServerRestartFailed(this ILogger logger, Exception exception, int port, int attempt);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Stopping embedded nats-server (pid {ProcessId})")]
    public static partial void ServerStopping(this ILogger logger, int processId);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Embedded nats-server (pid {ProcessId}) stopped with code {ExitCode}")]
    public static partial void ServerStopped(this ILogger logger, int processId, int exitCode);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Embedded nats-server (pid {ProcessId}) did not stop within {Timeout}; killed")]
    public static partial void ServerKilled(this ILogger logger, int processId, TimeSpan timeout);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Reclaimed orphaned nats-server (pid {ProcessId}) left on store directory {StoreDirectory} by a previous host")]
    public static partial void OrphanReclaimed(this ILogger logger, int processId, string storeDirectory);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Embedded nats-server restarted (pid {ProcessId}) at {ClientUrl}")]
    public static partial void ServerRestarted(this ILogger logger, int processId, Uri clientUrl);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Store directory {StoreDirectory} was last used by pid {ProcessId}, which is gone; taking it over")]
    public static partial void StaleLockReclaimed(this ILogger logger, string storeDirectory, int processId);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Connecting to NATS at {Servers}")]
    public static partial void Connecting(this ILogger logger, string servers);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Connect attempt {Attempt} to NATS at {Servers} failed: {Reason}; retrying in {Delay}")]
    public static partial void ConnectAttemptFailed(this ILogger logger, int attempt, string servers, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Connected to NATS server {ServerName} {ServerVersion} at {Server} (JetStream {JetStream})")]
    public static partial void Connected(this ILogger logger, string serverName, Version serverVersion, string server, bool jetStream);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Disconnected from NATS server {Server}; reconnecting")]
    public static partial void Disconnected(this ILogger logger, string server);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Reconnected to NATS server {Server}")]
    public static partial void Reconnected(this ILogger logger, string server);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Reconnect to NATS at {Servers} failed: {Reason}")]
    public static partial void ReconnectFailed(this ILogger logger, string servers, string reason);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "NATS server {Server} entered lame duck mode; it will close connections soon")]
    public static partial void LameDuckMode(this ILogger logger, string server);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Slow consumer on subject {Subject}: messages are being dropped")]
    public static partial void SlowConsumer(this ILogger logger, string subject);

    [LoggerMessage(EventId = 208, Level = LogLevel.Error, Message = "NATS server {Server} reported an error: {Error}")]
    public static partial void ServerError(this ILogger logger, string server, string error);

    [LoggerMessage(EventId = 209, Level = LogLevel.Error, Message = "NATS server {Server} rejected the credentials: {Error}")]
    public static partial void AuthenticationError(this ILogger logger, string server, string error);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Message on subject {Subject} dropped by the client ({Pending} pending)")]
    public static partial void MessageDropped(this ILogger logger, string subject, int pending);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Closing NATS connection to {Server}")]
    public static partial void ConnectionClosing(this ILogger logger, string server);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Provisioning {StreamCount} declared streams ({Mode}) on {Servers}")]
    public static partial void ProvisioningStarted(this ILogger logger, int streamCount, ProvisioningMode mode, string servers);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Stream {StreamName} is up to date")]
    public static partial void StreamUpToDate(this ILogger logger, string streamName);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Created stream {StreamName} over {Subjects}")]
    public static partial void StreamCreated(this ILogger logger, string streamName, string subjects);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Stream {StreamName} drift in {Field}: declared {Desired}, server has {Actual}")]
    public static partial void StreamFieldDrift(this ILogger logger, string streamName, string field, string desired, string actual);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Updated stream {StreamName} ({FieldCount} fields changed)")]
    public static partial void StreamUpdated(this ILogger logger, string streamName, int fieldCount);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Verified stream {StreamName}: matches its declaration")]
    public static partial void StreamVerified(this ILogger logger, string streamName);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Provisioned {StreamCount} streams in {Elapsed}")]
    public static partial void ProvisioningCompleted(this ILogger logger, int streamCount, TimeSpan elapsed);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Deleted stream {StreamName} on request")]
    public static partial void StreamDeleted(this ILogger logger, string streamName);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "Purged stream {StreamName} on request ({Purged} messages)")]
    public static partial void StreamPurged(this ILogger logger, string streamName, long purged);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Provisioning attempt {Attempt} failed, trying again in {Delay}: {Reason}")]
    public static partial void ProvisioningRetrying(this ILogger logger, int attempt, TimeSpan delay, string reason);

    // 309 (in-memory stream settings not enforced) is retired: the in-memory mode enforces every setting. Never reused.

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Publish of message {MessageId} on subject {Subject} not acknowledged (attempt {Attempt}: {Reason}); retrying with the same id in {Delay}")]
    public static partial void PublishRetrying(this ILogger logger, string subject, string messageId, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Host stop: enqueued messages were not all acknowledged within {Timeout}; the rest are reported failed")]
    public static partial void PublishFlushTimedOut(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error, Message = "Enqueued message {MessageId} on subject {Subject} was not stored ({Kind})")]
    public static partial void EnqueuedMessageFailed(this ILogger logger, Exception exception, string subject, string messageId, ImbErrorKind kind);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "The application's EnqueueFailed handler threw for message {MessageId} on subject {Subject}")]
    public static partial void EnqueueFailedHandlerThrew(this ILogger logger, Exception exception, string subject, string messageId);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information, Message = "Publish of message {MessageId} on subject {Subject} unanswered after {Waited} ({Why}); sent again with the same id, which the stream answers as a duplicate if it has the message")]
    public static partial void PublishResent(this ILogger logger, string subject, string messageId, TimeSpan waited, string why);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "Responder on subject {Subject} failed; the requester gets the error")]
    public static partial void ResponderFailed(this ILogger logger, Exception exception, string subject);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning, Message = "Fast-ingest batch {BatchId} into stream {StreamName} given up ({Why}); its {Unsettled} unanswered messages are sent again one by one under their ids, so none is stored twice")]
    public static partial void FastBatchGivenUp(this ILogger logger, string batchId, string streamName, string why, long unsettled);

    [LoggerMessage(EventId = 409, Level = LogLevel.Warning, Message = "Stream {StreamName} missed messages of fast-ingest batch {BatchId} after batch sequence {Sequence} and ends the batch; the rest are sent again one by one")]
    public static partial void FastBatchGap(this ILogger logger, string batchId, string streamName, long sequence);

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Stream {StreamName} refused fast-ingest batch {BatchId}: {Description} (err_code {ErrCode}); its {Unsettled} unanswered messages are sent again one by one")]
    public static partial void FastBatchRefused(this ILogger logger, string batchId, string streamName, string description, int errCode, long unsettled);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "An answer of {Bytes} bytes for fast-ingest batch {BatchId} into stream {StreamName} is not one Imb knows; the batch is given up and its messages sent again one by one")]
    public static partial void FastBatchAnswerUnknown(this ILogger logger, string batchId, string streamName, int bytes);
}
