namespace Imb.Streams;

/// <summary>Where dead letters go: <c>imb.dlq.&lt;stream&gt;.&lt;consumer&gt;</c>, spelled once.</summary>
internal static class DeadLetterSubjects
{
    public const string Prefix = "imb.dlq.";

    /// <summary>The subjects of the dead-letter stream.</summary>
    public const string All = Prefix + ">";

    /// <summary>The subject a consumer's dead letters go to.</summary>
    public static string For(string stream, string consumer) => Prefix + stream + "." + consumer;
}
