namespace Imb;

/// <summary>What a subscription is doing, as its health report shows.</summary>
internal enum SubscriptionState
{
    /// <summary>Provisioning its consumer; not consuming yet.</summary>
    Starting,

    /// <summary>Consuming messages.</summary>
    Consuming,

    /// <summary>Lost its consumer or connection through a failure that may pass; retrying with backoff.</summary>
    Recovering,

    /// <summary>Cannot consume until something outside changes (consumer or stream missing, refused configuration); still retrying.</summary>
    Failed,

    /// <summary>Paused on request (<see cref="ISubscriptions.PauseAsync"/>): pulls nothing until resumed.</summary>
    Paused,

    /// <summary>Stopped with the host.</summary>
    Stopped,
}
