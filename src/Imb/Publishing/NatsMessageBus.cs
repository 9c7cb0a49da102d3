using System.Diagnostics;
using Imb.Connection;
using Imb.Diagnostics;
using Imb.Streams;
using Imb.Subscribing;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Imb.Publishing;

/// <summary>The NATS-backed <see cref="IMessageBus"/>: validates, then hands over to the publisher, the pipeline or core NATS.</summary>
internal sealed class NatsMessageBus(
    ImbConnection connection, JetStreamPublisher publisher, PublishPipeline pipeline, MessageIds messageIds, PublishMetrics metrics, ILoggerFactory loggerFactory) : IMessageBus
{
    /// <summary>The header that carries a responder's failure back to the requester.</summary>
    public const string ErrorHeader = "Imb-Error";

    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");

    public event Action<PublishFailure>? EnqueueFailed
    {
        add => pipeline.Failed += value;
        remove => pipeline.Failed -= value;
    }

    public async ValueTask<PublishAck> PublishAsync(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (message, span) = Prepare(subject, payload, options, pipelined: false);
        var started = metrics.Start();
        using (span)
        {
            try
            {
                var ack = await publisher.SendAsync(message, cancellationToken).ConfigureAwait(false);
                MessagingTracing.Stored(span, ack);
                metrics.Stored(ack.Stream, pipelined: false, started);
                return ack;
            }
            catch (Exception e)
            {
                MessagingTracing.Failed(span, e);
                metrics.Refused(e, pipelined: false, started);
                throw;
            }
        }
    }

    public ValueTask EnqueueAsync(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        var previous = Activity.Current;
        var (message, span) = Prepare(subject, payload, options, pipelined: true);
        var enqueued = pipeline.EnqueueAsync(message, cancellationToken);
        if (span is null)
        {
            return enqueued;
        }

        // The span covers the hand-over to the pipeline (the ack comes later, to EnqueueFailed if it fails). This
        // method is not async: the span it started would otherwise stay the caller's current activity.
        Activity.Current = previous;
        if (enqueued.IsCompleted)
        {
            span.Dispose();
            return enqueued;
        }

        return EndAfterAsync(enqueued, span);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => pipeline.FlushAsync(cancellationToken);

    public async ValueTask NotifyAsync(string subject, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        MessageValidator.CheckSubject(subject);
        var natsHeaders = MessageValidator.BuildHeaders(subject, headers, out var headerBytes);
        MessageValidator.CheckSize(subject, payload.Length, headerBytes, MaxPayload);
        await connection.Connection.PublishAsync(subject, payload, natsHeaders, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ReadOnlyMemory<byte>> RequestAsync(string subject, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        MessageValidator.CheckSubject(subject);
        MessageValidator.CheckSize(subject, payload.Length, 0, MaxPayload);
        NatsMsg<ReadOnlyMemory<byte>> reply;
        try
        {
            reply = await connection.Connection.RequestAsync<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(subject, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException e)
        {
            throw new ImbException($"Nobody answers requests on subject {subject} at {connection.Servers}.", e) { Kind = ImbErrorKind.NoResponders };
        }
        catch (NatsNoReplyException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImbException($"No reply to the request on subject {subject} arrived in time.", e) { Kind = ImbErrorKind.Timeout };
        }

        if (reply.Headers is { } headers && headers.TryGetValue(ErrorHeader, out var error))
        {
            throw new ImbException($"The responder on subject {subject} failed: {error}") { Kind = ImbErrorKind.RemoteError };
        }

        return reply.Data;
    }

    public async Task ServeAsync(string subject, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            await foreach (var request in connection.Connection.SubscribeAsync<ReadOnlyMemory<byte>>(subject, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                ReadOnlyMemory<byte> answer;
                NatsHeaders? headers = null;
                try
                {
                    answer = await handler(request.Data, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _logger.ResponderFailed(e, request.Subject);
                    answer = ReadOnlyMemory<byte>.Empty;
                    headers = new NatsHeaders { [ErrorHeader] = OneLine($"{e.GetType().Name}: {e.Message}") };
                }

                await request.ReplyAsync(answer, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Serving ends when the caller says so.
        }
    }

    public async ValueTask<ILiveSubscription> SubscribeAsync(string subject, CancellationToken cancellationToken = default)
    {
        MessageValidator.CheckSubscribeSubject(subject);

        var subscription = await connection.Connection.SubscribeCoreAsync<ReadOnlyMemory<byte>>(subject, cancellationToken: cancellationToken).ConfigureAwait(false);

        try
        {
            // The server handles commands in order: once it answers this ping, it has registered the subscription.
            await connection.Connection.PingAsync(cancellationToken).ConfigureAwait(false);
            return new LiveSubscription(subscription);
        }
        catch (Exception)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private int MaxPayload => connection.Connection.ServerInfo?.MaxPayload ?? 0;

    private static async ValueTask EndAfterAsync(ValueTask enqueued, Activity span)
    {
        using (span)
        {
            try
            {
                await enqueued.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                MessagingTracing.Failed(span, e);
                throw;
            }
        }
    }

    private (OutgoingMessage Message, Activity? Span) Prepare(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options, bool pipelined)
    {
        MessageValidator.CheckSubject(subject);
        var messageId = options?.MessageId ?? messageIds.New();
        MessageValidator.CheckMessageId(subject, messageId);
        var span = MessagingTracing.StartPublish(subject, messageId, payload.Length, pipelined, options?.Headers);
        try
        {
            var headers = MessageValidator.BuildHeaders(subject, MessagingTracing.WithTraceContext(options?.Headers, span), out var headerBytes);

            // The Nats-Msg-Id line travels in the same header block.
            MessageValidator.CheckSize(subject, payload.Length, headerBytes + MessageValidator.MessageIdBytes(messageId, headers is not null), MaxPayload);
            return (new OutgoingMessage(subject, payload, headers, MessageValidator.BuildOptions(options, messageId)), span);
        }
        catch (Exception e)
        {
            MessagingTracing.Failed(span, e);
            span?.Dispose();
            throw;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
