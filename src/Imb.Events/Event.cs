namespace Imb.Events;

/// <summary>The envelope every event travels in (wire format 1.0): who sent what about which subject, with typed data.</summary>
/// <param name="Id">The event id, also its <c>Nats-Msg-Id</c>: JetStream stores an id once.</param>
/// <param name="Type">The event type (<see cref="EventTypes"/>); it must match <paramref name="Data"/>.</param>
/// <param name="Source">The service that sent it.</param>
/// <param name="Subject">What the event is about, e.g. a content id.</param>
/// <param name="Data">The typed payload.</param>
/// <param name="TraceId">The trace the event belongs to, carried from cause to reaction.</param>
/// <param name="Timestamp">When the event was created.</param>
/// <param name="Version">The wire format version, <c>major.minor</c>.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "The envelope's name is fixed by the wire contract (docs/wire-format.md).")]
public sealed record Event(string Id, string Type, string Source, string Subject, EventData Data, string? TraceId, DateTimeOffset Timestamp, string Version)
{
    /// <summary>The wire format version this library writes.</summary>
    public const string CurrentVersion = "1.0";

    /// <summary>Gets the subject the event travels on: <c>gdc.events.&lt;type&gt;</c>.</summary>
    public string NatsSubject => EventTypes.SubjectOf(Type);
}
