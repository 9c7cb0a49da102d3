namespace Imb.Diagnostics;

/// <summary>
/// A span's name per subject (<c>process orders.eu</c>), kept for the subject last seen: a publisher or subscription
/// mostly repeats one, and formatting the name anew was an allocation per traced message.
/// </summary>
internal sealed class SpanNames(string operation)
{
    private Entry? _last;

    public string For(string subject)
    {
        // One reference read and written whole: threads racing here at worst format a name twice, never mix two.
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Subject, subject))
        {
            return last.Name;
        }

        var name = operation + subject;
        Volatile.Write(ref _last, new Entry(subject, name));
        return name;
    }

    private sealed record Entry(string Subject, string Name);
}
