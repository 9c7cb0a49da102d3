namespace Imb.OpenTelemetry;

/// <summary>What <c>AddImbInstrumentation</c> adds besides Imb's own spans and instruments.</summary>
public sealed class ImbInstrumentationOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether NATS.Net's own instrumentation is added too (default <see langword="true"/>),
    /// so that the client's publish, receive and request spans appear under Imb's in one trace.
    /// </summary>
    public bool IncludeNatsClient { get; set; } = true;

    /// <summary>
    /// Gets the subjects NATS.Net does not trace. By default acknowledgements (<c>$JS.ACK.&gt;</c>, one span per
    /// handled message, each a child of nothing useful). NATS.Net's filter is process-wide: it applies to every
    /// connection in the process, not only Imb's.
    /// </summary>
    public IList<string> ExcludedNatsSubjects { get; } = ["$JS.ACK.>"];
}
