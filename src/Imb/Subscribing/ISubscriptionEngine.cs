namespace Imb.Subscribing;

/// <summary>The subscriptions of one mode (NATS consumers or in-memory ones), as the one subscription hosted service runs them.</summary>
internal interface ISubscriptionEngine
{
    /// <summary>Gets each subscription's status, for the health check.</summary>
    IReadOnlyList<SubscriptionStatus> Statuses { get; }

    /// <summary>Gets how many messages handlers hold now, for the stop log.</summary>
    int InFlight { get; }

    /// <summary>Makes every subscription ready to consume; a failure fails host start.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Consumes until <paramref name="stopPulling"/>; in-flight handlers then finish unless <paramref name="abortHandlers"/> fires.</summary>
    Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers);

    /// <summary>After the last handler: makes sure what was settled reached the broker.</summary>
    Task AfterStopAsync(CancellationToken cancellationToken);
}
