using Imb;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares streams, handlers and server settings on an <see cref="IImbBuilder"/>.</summary>
public static class ImbBuilderExtensions
{
    /// <summary>Declares a stream this service owns (or, with VerifyOnly provisioning, relies on).</summary>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The stream's name (letters, digits, '_' and '-').</param>
    /// <param name="configure">Sets the stream's subjects and limits; applied after configuration binding.</param>
    /// <returns>The builder.</returns>
    public static IImbBuilder AddStream(this IImbBuilder builder, string name, Action<StreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<ImbOptions>(options =>
        {
            if (!options.Streams.TryGetValue(name, out var stream))
            {
                stream = new StreamOptions();
                options.Streams[name] = stream;
            }

            configure(stream);
        });
        return builder;
    }
}
