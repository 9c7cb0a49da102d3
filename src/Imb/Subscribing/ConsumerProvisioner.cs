using Imb.Connection;
using Imb.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Subscribing;

/// <summary>
/// Makes a subscription's durable consumer match its declaration: created or updated (CreateOrUpdate), or only
/// checked (VerifyOnly). Every write is read back, since an older server drops fields it does not know.
/// </summary>
internal sealed class ConsumerProvisioner(ImbConnection connection, IOptions<ImbOptions> options, ILoggerFactory loggerFactory)
{

    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Subscribing");

    public static string ConsumerName(string subscription, SubscriptionOptions declared) => declared.Consumer ?? subscription;

    public async Task<INatsJSConsumer> EnsureAsync(string subscription, SubscriptionOptions declared, CancellationToken cancellationToken)
    {
        var name = ConsumerName(subscription, declared);
        if (SubscriptionFilters.Of(declared).Count > 1)
        {
            ServerFeatureGate.Require(connection.ServerVersion, connection.Servers, ServerFeature.ConsumerFilterSubjects, $"Subscription {subscription}");
        }

        var desired = ToConfig(name, declared);
        INatsJSConsumer consumer;
        try
        {
            if (options.Value.Provisioning == ProvisioningMode.VerifyOnly)
            {
                consumer = await connection.JetStream.GetConsumerAsync(declared.Stream, name, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                consumer = await connection.JetStream.CreateOrUpdateConsumerAsync(declared.Stream, desired, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrorCodes.ConsumerNotFound)
        {
            throw new ImbException(
                $"Consumer {name} of stream {declared.Stream} does not exist on {connection.Servers}, and Imb:Provisioning is VerifyOnly, so Imb may not create it " +
                $"(subscription {subscription}). Create it, or let the service that owns it start first.", e)
            { Kind = ImbErrorKind.Consumer, ServerErrorCode = e.Error.ErrCode };
        }
        catch (NatsJSApiException e)
        {
            var kind = e.Error.ErrCode == JetStreamErrorCodes.StreamNotFound ? ImbErrorKind.NoStream : ImbErrorKind.Consumer;
            throw new ImbException(
                $"The server at {connection.Servers} refused consumer {name} of stream {declared.Stream} (subscription {subscription}): " +
                $"{e.Error.Description} (code {e.Error.Code}, err_code {e.Error.ErrCode}).", e)
            { Kind = kind, ServerErrorCode = e.Error.ErrCode };
        }

        var differences = Compare(desired, consumer.Info.Config);
        if (differences.Count > 0)
        {
            var list = string.Join("; ", differences);
            throw new ImbException(options.Value.Provisioning == ProvisioningMode.VerifyOnly
                ? $"Consumer {name} of stream {declared.Stream} on {connection.Servers} differs from subscription {subscription} ({list}), and Imb:Provisioning is VerifyOnly, so Imb may not change it."
                : $"nats-server {connection.ServerVersion} at {connection.Servers} did not keep consumer {name} of stream {declared.Stream} as declared ({list}).")
            { Kind = ImbErrorKind.Consumer };
        }

        _logger.ConsumerReady(subscription, declared.Stream, name, options.Value.Provisioning);
        return consumer;
    }

    public static ConsumerConfig ToConfig(string name, SubscriptionOptions declared) => new(name)
    {
        // One filter as filter_subject, which every server knows; several as filter_subjects (2.10+).
        FilterSubject = SubscriptionFilters.Of(declared) is [var one] ? one : null,
        FilterSubjects = SubscriptionFilters.Of(declared) is { Count: > 1 } several ? [.. several] : null,
        DeliverPolicy = declared.Start switch
        {
            SubscriptionStart.New => ConsumerConfigDeliverPolicy.New,
            SubscriptionStart.Last => ConsumerConfigDeliverPolicy.Last,
            SubscriptionStart.LastPerSubject => ConsumerConfigDeliverPolicy.LastPerSubject,
            _ => ConsumerConfigDeliverPolicy.All,
        },
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        AckWait = declared.AckWait,
        MaxAckPending = declared.MaxAckPending,

        // Imb counts deliveries and dead-letters itself. A server-side limit would strand a message whose
        // dead letter could not be written: the server would stop delivering it, and nobody would retry.
        MaxDeliver = -1,
    };

    private static List<string> Compare(ConsumerConfig desired, ConsumerConfig actual)
    {
        var differences = new List<string>();
        Add("filter subject", desired.FilterSubject ?? string.Empty, actual.FilterSubject ?? string.Empty);
        Add("filter subjects", string.Join(",", desired.FilterSubjects ?? []), string.Join(",", actual.FilterSubjects ?? []));
        Add("deliver policy", desired.DeliverPolicy, actual.DeliverPolicy);
        Add("ack policy", desired.AckPolicy, actual.AckPolicy);
        Add("ack wait", desired.AckWait, actual.AckWait);
        Add("max ack pending", desired.MaxAckPending, actual.MaxAckPending);
        Add("max deliver", desired.MaxDeliver, actual.MaxDeliver);
        return differences;

        void Add<T>(string field, T wanted, T found)
        {
            if (!EqualityComparer<T>.Default.Equals(wanted, found))
            {
                differences.Add($"{field}: declared {wanted}, server has {found}");
            }
        }
    }
}
