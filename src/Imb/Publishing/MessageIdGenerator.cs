namespace Imb;

/// <summary>
/// Message ids in Imb's form, for callers that need an id before they publish (an event's envelope carries its own):
/// time-sortable new ids (ULID layout) and ids derived from another id, the same every time for the same inputs.
/// </summary>
public sealed class MessageIdGenerator
{
    private readonly Publishing.MessageIds _ids;

    /// <summary>Initializes a new instance of the <see cref="MessageIdGenerator"/> class.</summary>
    /// <param name="time">The clock whose milliseconds lead each id.</param>
    public MessageIdGenerator(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _ids = new Publishing.MessageIds(time);
    }

    /// <summary>Returns a new id: 26 Crockford base-32 characters, sorting by time, unique without coordination.</summary>
    /// <returns>The id.</returns>
    public string Next() => _ids.New();

    /// <summary>
    /// Derives an id from <paramref name="causeId"/> and <paramref name="reaction"/>: the same inputs always give the
    /// same id, so a reaction published again for a redelivered cause is de-duplicated by the stream.
    /// </summary>
    /// <param name="causeId">The id of the message being handled.</param>
    /// <param name="reaction">What is published in reaction (one id per cause and reaction).</param>
    /// <returns>The derived id; it sorts with the cause when the cause's id is one of Imb's.</returns>
    public static string Derive(string causeId, string reaction)
    {
        ArgumentException.ThrowIfNullOrEmpty(causeId);
        ArgumentNullException.ThrowIfNull(reaction);
        return Publishing.MessageIds.Derive(causeId, reaction);
    }
}
