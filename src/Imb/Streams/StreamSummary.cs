namespace Imb;

/// <summary>A stream on the server and its state.</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="Subjects">The subjects it captures.</param>
/// <param name="Messages">How many messages it holds.</param>
/// <param name="Bytes">How many bytes it holds.</param>
/// <param name="FirstSequence">The sequence of its oldest message.</param>
/// <param name="LastSequence">The sequence of its newest message.</param>
/// <param name="ConsumerCount">How many consumers read it.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Owned">Whether this service owns it (declared here, with CreateOrUpdate provisioning).</param>
public sealed record StreamSummary(
    string Name,
    IReadOnlyList<string> Subjects,
    long Messages,
    long Bytes,
    ulong FirstSequence,
    ulong LastSequence,
    long ConsumerCount,
    DateTimeOffset Created,
    bool Owned);
