namespace Imb;

/// <summary>A subject in a catalogue, with who publishes on it and why.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Owner">The component that publishes on it.</param>
/// <param name="Purpose">What its messages are for.</param>
public sealed record SubjectDescriptor(string Subject, string Owner, string Purpose);
