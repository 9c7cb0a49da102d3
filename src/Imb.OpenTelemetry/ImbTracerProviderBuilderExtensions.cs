using Imb;
using Imb.OpenTelemetry;
using NATS.Client.OpenTelemetry;

namespace OpenTelemetry.Trace;

/// <summary>Adds Imb's spans (and NATS.Net's) to an OpenTelemetry tracer provider.</summary>
public static class ImbTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds Imb's <c>publish &lt;subject&gt;</c> and <c>process &lt;subject&gt;</c> spans and, unless
    /// <see cref="ImbInstrumentationOptions.IncludeNatsClient"/> is off, NATS.Net's client spans.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <param name="configure">Changes what is added; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TracerProviderBuilder AddImbInstrumentation(this TracerProviderBuilder builder, Action<ImbInstrumentationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ImbInstrumentationOptions();
        configure?.Invoke(options);
        builder.AddSource(ImbDiagnostics.ActivitySourceName);
        if (options.IncludeNatsClient)
        {
            string[] excluded = [.. options.ExcludedNatsSubjects];
            builder.AddNatsClientInstrumentation(nats => nats.FilterSubjects(include: null, exclude: excluded));
        }

        return builder;
    }
}
