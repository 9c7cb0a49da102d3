using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Imb.Subscribing;

/// <summary>Acks that survive a lost connection: confirmed by pings while the session runs, sent again when the next one starts.</summary>
internal sealed partial class ConsumeSession
{
    /// <summary>Confirms the session's acks with a ping every heartbeat, or sooner when many were sent.</summary>
    /// <param name="connected">The server's INFO when the session started: NATS.Net replaces it on each reconnect.</param>
    /// <param name="monitoring">Ends with the session.</param>
    private async Task ConfirmAcksAsync(INatsServerInfo? connected, CancellationToken monitoring)
    {
        try
        {
            while (true)
            {
                await transport.Acks.WaitUntilDueAsync(subscribing.Heartbeat, time, monitoring).ConfigureAwait(false);
                await ConfirmAsync(connected, monitoring).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (monitoring.IsCancellationRequested)
        {
            // The consume session is over; what is unconfirmed waits for the next one.
        }
    }

    private async Task ConfirmAsync(INatsServerInfo? connected, CancellationToken monitoring)
    {
        // A reconnect brings a new INFO before any PONG on the new connection, so the session's INFO before and after
        // the ping means the PONG came over the connection the session's acks were written to. After a reconnect the
        // session ends, and the next one sends again what is unconfirmed (an INFO update in a cluster only costs that).
        var nats = connection.Connection;
        if (!ReferenceEquals(nats.ServerInfo, connected) || transport.Acks.Seal() is not { } seal)
        {
            return;
        }

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(monitoring);
        patience.CancelAfter(subscribing.Heartbeat * 2);
        try
        {
            await nats.PingAsync(patience.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException || (e is OperationCanceledException && !monitoring.IsCancellationRequested))
        {
            // No answer: the seal stays, for a later ping or the next connection.
            return;
        }

        if (ReferenceEquals(nats.ServerInfo, connected))
        {
            transport.Acks.Confirm(seal);
        }
    }

    /// <summary>Sends again what the last connection did not confirm, before this session pulls.</summary>
    private async Task ResendUnconfirmedAcksAsync(CancellationToken cancellationToken)
    {
        var unconfirmed = transport.Acks.TakeUnconfirmed();
        if (unconfirmed.Count == 0)
        {
            return;
        }

        var sent = 0;
        try
        {
            foreach (var ack in unconfirmed)
            {
                await connection.Connection.PublishAsync(ack.ReplyTo, ack.Payload, cancellationToken: cancellationToken).ConfigureAwait(false);
                transport.Acks.Record(ack.ReplyTo, ack.Payload);
                sent++;
            }
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException)
        {
            logger.AckResendFailed(e, Name, Stream, Consumer, unconfirmed.Count - sent);
            return;
        }

        logger.AcksResent(Name, Stream, Consumer, sent);
    }
}
