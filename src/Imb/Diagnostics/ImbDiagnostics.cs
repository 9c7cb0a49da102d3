namespace Imb;

/// <summary>The names to subscribe to Imb's traces and metrics by (OpenTelemetry: <c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class ImbDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of Imb's spans: <c>publish &lt;subject&gt;</c> and <c>process &lt;subject&gt;</c>.</summary>
    public const string ActivitySourceName = "Imb";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of Imb's instruments.</summary>
    public const string MeterName = "Imb";
}
