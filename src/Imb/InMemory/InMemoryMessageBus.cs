using System.Diagnostics;
using Imb.Diagnostics;
using Imb.Publishing;
using Imb.Streams;
using Microsoft.Extensions.Logging;

namespace Imb.InMemory;

/// <summary>
/// <see cref="IMessageBus"/> without a server: the same validation, the same errors for uncaptured subjects, full
/// streams and failed expectations, de-duplication by id; publishing is stored when it returns, so enqueueing is too.
/// </summary>
internal sealed class InMemoryMessageBus(InMemoryBroker broker, PublishMetrics metrics, ILoggerFactory loggerFactory) : IMessageBus
{
    /// <summary>The payload limit nats-server applies by default (max_payload), applied here so tests catch the same sizes.</summary>
    public const int MaxPayload = 1024 * 1024;

    private static readonly string GeneratedIdShape = new('0', 26);
    private static readonly int MaxPayloadWithGeneratedId = MaxPayload - MessageValidator.MessageIdBytes(GeneratedIdShape, otherHeaders: false);
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");

    public event Action<PublishFailure>? EnqueueFailed;

    // The subject last published to and its stream: a publisher usually repeats one subject (the same string), which
    // then needs neither validating again (strings do not change) nor looking up, until a stream is added or deleted.
    private Route? _lastRoute;

    public ValueTask<PublishAck> PublishAsync(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options = null, CancellationToken cancellationToken = default) =>
        Publish(subject, payload, options, pipelined: false, cancellationToken);

    private ValueTask<PublishAck> Publish(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options, bool pipelined, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var route = _lastRoute;
        if (!ReferenceEquals(route?.Subject, subject) || route.Version != broker.TopologyVersion)
        {
            MessageValidator.CheckSubject(subject);
            var version = broker.TopologyVersion;
            route = new Route(subject, broker.StreamCapturing(subject), version);
            _lastRoute = route;
        }

        // Most publishes carry no options and no trace: then the only check left is the size, against a known limit.
        var span = MessagingTracing.StartPublish(subject, options?.MessageId, payload.Length, pipelined, options?.Headers);
        var started = metrics.Start();
        using (span)
        {
            try
            {
                var (callerId, headers) = options is null && span is null && Activity.Current is null && payload.Length <= MaxPayloadWithGeneratedId
                    ? (null, null)
                    : Prepare(subject, payload, options, span);
                var stream = route.Stream ?? throw NoStream(subject);
                var ack = stream.Append(subject, payload, headers, callerId, options, out var generatedId);

                // As on NATS, where a JetStream publish is a core publish too: live subscribers see even a duplicate.
                if (broker.HasListeners)
                {
                    broker.Broadcast(subject, payload, headers, callerId ?? MessageIds.Format(generatedId));
                }

                MessagingTracing.Stored(span, ack, span is null || callerId is not null ? null : MessageIds.Format(generatedId));
                metrics.Stored(ack.Stream, pipelined, started);
                return ValueTask.FromResult(ack);
            }
            catch (Exception e)
            {
                MessagingTracing.Failed(span, e);
                metrics.Refused(e, pipelined, started);
                throw;
            }
        }
    }

    /// <summary>Stores a dead letter as NATS would: the headers it came with (not validated again as a caller's), its own id.</summary>
    public void WriteDeadLetter(Subscribing.DeadLetter letter)
    {
        MessageValidator.CheckSize(letter.Subject, letter.Data.Length, MessageValidator.HeaderBytes(letter.Headers, letter.MessageId), MaxPayload);
        var stream = broker.StreamCapturing(letter.Subject) ?? throw NoStream(letter.Subject);
        stream.Append(letter.Subject, letter.Data, letter.Headers, letter.MessageId, null, out _);
        if (broker.HasListeners)
        {
            broker.Broadcast(letter.Subject, letter.Data, letter.Headers, letter.MessageId);
        }
    }

    public async ValueTask EnqueueAsync(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await Publish(subject, payload, options, pipelined: true, cancellationToken).ConfigureAwait(false);
        }
        catch (ImbException e) when (e.Kind != ImbErrorKind.Invalid)
        {
            // As on NATS: refused input throws at once, a stream's refusal reaches the hook, the log and nothing else.
            var messageId = options?.MessageId ?? "(generated)";
            _logger.EnqueuedMessageFailed(e, subject, messageId, e.Kind);
            EnqueueFailed?.Invoke(new PublishFailure(subject, messageId, e));
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask NotifyAsync(string subject, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        MessageValidator.CheckSubject(subject);
        var natsHeaders = MessageValidator.BuildHeaders(subject, headers, out var headerBytes);
        MessageValidator.CheckSize(subject, payload.Length, headerBytes, MaxPayload);
        if (broker.HasListeners)
        {
            broker.Broadcast(subject, payload, natsHeaders, messageId: null);
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ReadOnlyMemory<byte>> RequestAsync(string subject, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        MessageValidator.CheckSubject(subject);
        MessageValidator.CheckSize(subject, payload.Length, 0, MaxPayload);
        var responder = broker.ResponderFor(subject) ?? throw new ImbException($"Nobody answers requests on subject {subject} in memory.") { Kind = ImbErrorKind.NoResponders };
        try
        {
            return await responder(payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.ResponderFailed(e, subject);
            throw new ImbException($"The responder on subject {subject} failed: {e.GetType().Name}: {e.Message}".ReplaceLineEndings(" "), e) { Kind = ImbErrorKind.RemoteError };
        }
    }

    public async Task ServeAsync(string subject, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using (broker.Serve(subject, handler))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Serving ends when the caller says so.
            }
        }
    }

    public ValueTask<ILiveSubscription> SubscribeAsync(string subject, CancellationToken cancellationToken = default)
    {
        MessageValidator.CheckSubscribeSubject(subject);

        return ValueTask.FromResult<ILiveSubscription>(new InMemoryLiveSubscription(broker, broker.Listen(subject), subject));
    }

    /// <summary>Validates as the NATS bus does (the subject already checked); returns the caller's id (null: Imb generates one) and the headers.</summary>
    private static (string? CallerId, NATS.Client.Core.NatsHeaders? Headers) Prepare(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options, Activity? span)
    {
        var callerId = options?.MessageId;
        if (callerId is not null)
        {
            MessageValidator.CheckMessageId(subject, callerId);
        }

        var headers = MessageValidator.BuildHeaders(subject, MessagingTracing.WithTraceContext(options?.Headers, span), out var headerBytes);

        // The id travels beside the headers here (a generated one has 26 characters); ReceivedMessage shows it as the
        // Nats-Msg-Id header NATS would deliver.
        MessageValidator.CheckSize(subject, payload.Length, headerBytes + MessageValidator.MessageIdBytes(callerId ?? GeneratedIdShape, headers is not null), MaxPayload);
        return (callerId, headers);
    }

    private static ImbException NoStream(string subject) =>
        new($"No stream in memory captures subject {subject}: declare one (Imb:Streams) whose subjects match it.") { Kind = ImbErrorKind.NoStream };

    private sealed record Route(string Subject, InMemoryStream? Stream, int Version);
}
