namespace Imb.Subscribing;

/// <summary>Why a consume session ended.</summary>
internal enum SessionEnd
{
    /// <summary>The subscription is stopping.</summary>
    Stopped,

    /// <summary>The consumer is gone from the server: it is provisioned again.</summary>
    ConsumerMissing,

    /// <summary>The connection came back: a restarted server has forgotten every pull request, so pulling starts anew.</summary>
    Reconnected,
}
