using Imb;
using Imb.OpenTelemetry;
using NATS.Client.OpenTelemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Imb's instruments (and NATS.Net's) to an OpenTelemetry meter provider.</summary>
public static class ImbMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the <c>Imb</c> meter and, unless <see cref="ImbInstrumentationOptions.IncludeNatsClient"/> is off,
    /// NATS.Net's client meter.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <param name="configure">Changes what is added; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddImbInstrumentation(this MeterProviderBuilder builder, Action<ImbInstrumentationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ImbInstrumentationOptions();
        configure?.Invoke(options);
        builder.AddMeter(ImbDiagnostics.MeterName);
        if (options.IncludeNatsClient)
        {
            builder.AddNatsClientInstrumentation();
        }

        return builder;
    }
}
