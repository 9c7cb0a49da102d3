namespace Imb;

/// <summary>The streams on the server: list and inspect any; create, purge and delete the ones this service owns.</summary>
public interface IImbTopology
{
    /// <summary>Lists every stream on the server with its state.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The streams, by name.</returns>
    ValueTask<IReadOnlyList<StreamSummary>> ListStreamsAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets one stream's state.</summary>
    /// <param name="name">The stream's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="ImbException">The stream does not exist.</exception>
    ValueTask<StreamSummary> GetStreamAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a stream, or brings an existing one in line, under the same rules as declared streams; this service then owns it.</summary>
    /// <param name="name">The stream's name.</param>
    /// <param name="options">Its declaration.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream.</returns>
    ValueTask<StreamSummary> EnsureStreamAsync(string name, StreamOptions options, CancellationToken cancellationToken = default);

    /// <summary>Removes every message from a stream this service owns.</summary>
    /// <param name="name">The stream's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>How many messages were removed.</returns>
    ValueTask<long> PurgeStreamAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a stream this service owns, with all its messages and consumers.</summary>
    /// <param name="name">The stream's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the stream is gone.</returns>
    ValueTask DeleteStreamAsync(string name, CancellationToken cancellationToken = default);
}
