namespace Imb;

/// <summary>
/// Rewrites the subject of each message a stream stores (nats-server 2.10 or later), bound from
/// <c>Imb:Streams:&lt;NAME&gt;:SubjectTransform</c>: consumers then see and filter on the rewritten subject.
/// </summary>
public sealed class SubjectTransformOptions
{
    /// <summary>Gets or sets the subjects to rewrite: a filter (<c>*</c> and a final <c>&gt;</c> allowed) within the stream's subjects.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the rewritten subject: literal tokens, <c>{{wildcard(n)}}</c> (or <c>$n</c>) for the token the
    /// source's n-th <c>*</c> matched, and a final <c>&gt;</c> for the rest when the source ends in one.
    /// </summary>
    public string Destination { get; set; } = string.Empty;
}
