namespace Imb.Events;

/// <summary>The base of every event payload in the catalogue; each payload names its type in a <c>const EventType</c>.</summary>
public abstract record EventData;
