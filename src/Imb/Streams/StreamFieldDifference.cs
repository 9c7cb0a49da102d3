namespace Imb.Streams;

/// <summary>One field where a stream on the server differs from its declaration.</summary>
/// <param name="Field">The option name, as in <c>Imb:Streams:&lt;NAME&gt;:&lt;Field&gt;</c>.</param>
/// <param name="Desired">The declared value.</param>
/// <param name="Actual">The server's value.</param>
/// <param name="Mutable">Whether the server can change it in place.</param>
internal sealed record StreamFieldDifference(string Field, string Desired, string Actual, bool Mutable)
{
    public override string ToString() => $"{Field}: declared {Desired}, server has {Actual}";
}
