using Microsoft.Extensions.Logging;

namespace Imb;

/// <summary>The subscriber's log lines (5xx). Every line about a message names subscription, stream, consumer, subject, sequence, delivery and message id.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Subscription {Subscription} consuming stream {Stream} with consumer {Consumer} (filter {FilterSubject}, concurrency {Concurrency})")]
    public static partial void SubscriptionStarted(this ILogger logger, string subscription, string stream, string consumer, string filterSubject, int concurrency);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Subscription {Subscription}: consumer {Consumer} of stream {Stream} is in place ({Mode})")]
    public static partial void ConsumerReady(this ILogger logger, string subscription, string stream, string consumer, ProvisioningMode mode);

    [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "Subscription {Subscription} handled message {MessageId} on subject {Subject} (stream {Stream} sequence {Sequence}, consumer {Consumer}, delivery {Delivery})")]
    public static partial void MessageHandled(this ILogger logger, string subscription, string stream, string consumer, string subject, ulong sequence, int delivery, string? messageId);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Subscription {Subscription}: handler failed for message {MessageId} on subject {Subject} (stream {Stream} sequence {Sequence}, consumer {Consumer}, delivery {Delivery} of {MaxDeliver}); redelivery in {Delay}")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string subscription, string stream, string consumer, string subject, ulong sequence, int delivery, int maxDeliver, string? messageId, TimeSpan delay);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "Subscription {Subscription}: message {MessageId} on subject {Subject} (stream {Stream} sequence {Sequence}, consumer {Consumer}, delivery {Delivery}) dead-lettered to {DeadLetterSubject}: {Reason}")]
    public static partial void MessageDeadLettered(this ILogger logger, Exception? exception, string subscription, string stream, string consumer, string subject, ulong sequence, int delivery, string? messageId, string deadLetterSubject, string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "Subscription {Subscription}: could not dead-letter message {MessageId} on subject {Subject} (stream {Stream} sequence {Sequence}, consumer {Consumer}, delivery {Delivery}) to {DeadLetterSubject}; it stays in the stream and is retried in {Delay}")]
    public static partial void DeadLetterFailed(this ILogger logger, Exception exception, string subscription, string stream, string consumer, string subject, ulong sequence, int delivery, string? messageId, string deadLetterSubject, TimeSpan delay);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "Subscription {Subscription}: could not {Action} message {MessageId} on subject {Subject} (stream {Stream} sequence {Sequence}, consumer {Consumer}, delivery {Delivery}); the server redelivers it after the ack wait")]
    public static partial void AcknowledgeFailed(this ILogger logger, Exception exception, string subscription, string action, string stream, string consumer, string subject, ulong sequence, int delivery, string? messageId);

    [LoggerMessage(EventId = 507, Level = LogLevel.Error, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}) stopped consuming ({State}, failure {Failures} in a row); recovering in {Delay}")]
    public static partial void SubscriptionFailed(this ILogger logger, Exception exception, string subscription, string stream, string consumer, SubscriptionState state, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 508, Level = LogLevel.Information, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}) recovered after {Failures} failures")]
    public static partial void SubscriptionRecovered(this ILogger logger, string subscription, string stream, string consumer, int failures);

    [LoggerMessage(EventId = 509, Level = LogLevel.Warning, Message = "Subscription {Subscription}: consumer {Consumer} of stream {Stream} is gone from the server (deleted from outside, or its stream was recreated); re-creating it")]
    public static partial void ConsumerMissing(this ILogger logger, string subscription, string stream, string consumer);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Subscription {Subscription} (stream {Stream}, consumer {Consumer}): {Notification}")]
    public static partial void ConsumeNotification(this ILogger logger, string subscription, string stream, string consumer, string notification);

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "Subscription {Subscription}: could not check consumer {Consumer} of stream {Stream}")]
    public static partial void ConsumerCheckFailed(this ILogger logger, Exception exception, string subscription, string stream, string consumer);

    [LoggerMessage(EventId = 512, Level = LogLevel.Information, Message = "Stopping subscriptions: {InFlight} messages in flight get up to {Timeout} to finish")]
    public static partial void SubscriptionsStopping(this ILogger logger, int inFlight, TimeSpan timeout);

    [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "Subscription {Subscription}: message {MessageId} on subject {Subject} (stream {Stream} sequence {Sequence}, consumer {Consumer}, delivery {Delivery}) did not finish before shutdown; left for redelivery")]
    public static partial void LeftForRedelivery(this ILogger logger, string subscription, string stream, string consumer, string subject, ulong sequence, int delivery, string? messageId);

    [LoggerMessage(EventId = 517, Level = LogLevel.Information, Message = "Subscription {Subscription} (stream {Stream}, consumer {Consumer}): handed {Count} unhandled messages back to the server for redelivery now, not after the ack wait")]
    public static partial void HandedBack(this ILogger logger, string subscription, string stream, string consumer, int count);

    [LoggerMessage(EventId = 518, Level = LogLevel.Warning, Message = "Subscription {Subscription} (stream {Stream}, consumer {Consumer}): could not hand {Count} unhandled messages back to the server; they are redelivered after the ack wait")]
    public static partial void HandBackFailed(this ILogger logger, Exception exception, string subscription, string stream, string consumer, int count);

    [LoggerMessage(EventId = 519, Level = LogLevel.Information, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}) paused on request, {Where}")]
    public static partial void SubscriptionPausedOnRequest(this ILogger logger, string subscription, string stream, string consumer, string where);

    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}) resumed on request, {Where}")]
    public static partial void SubscriptionResumedOnRequest(this ILogger logger, string subscription, string stream, string consumer, string where);

    [LoggerMessage(EventId = 521, Level = LogLevel.Warning, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}): the server refused to {Action} it; nothing changed")]
    public static partial void SubscriptionPauseFailed(this ILogger logger, Exception error, string subscription, string stream, string consumer, string action);

    [LoggerMessage(EventId = 522, Level = LogLevel.Information, Message = "Subscription {Subscription} (stream {Stream}, consumer {Consumer}): sent {Count} acknowledgements again that the server had not confirmed reading when the connection was lost")]
    public static partial void AcksResent(this ILogger logger, string subscription, string stream, string consumer, int count);

    [LoggerMessage(EventId = 523, Level = LogLevel.Warning, Message = "Subscription {Subscription} (stream {Stream}, consumer {Consumer}): could not send {Count} unconfirmed acknowledgements again; their messages are redelivered after the ack wait")]
    public static partial void AckResendFailed(this ILogger logger, Exception exception, string subscription, string stream, string consumer, int count);

    [LoggerMessage(EventId = 514, Level = LogLevel.Information, Message = "Subscriptions stopped")]
    public static partial void SubscriptionsStopped(this ILogger logger);

    [LoggerMessage(EventId = 515, Level = LogLevel.Warning, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}) paused: the connection is lost")]
    public static partial void SubscriptionPaused(this ILogger logger, string subscription, string stream, string consumer);

    [LoggerMessage(EventId = 516, Level = LogLevel.Information, Message = "Subscription {Subscription} on stream {Stream} (consumer {Consumer}) pulling anew after the reconnect")]
    public static partial void SubscriptionResuming(this ILogger logger, string subscription, string stream, string consumer);
}
