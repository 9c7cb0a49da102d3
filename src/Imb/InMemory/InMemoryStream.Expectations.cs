using Imb.Connection;
using Imb.Publishing;

namespace Imb.InMemory;

/// <summary>Optimistic-concurrency expectations, and the refusals an in-memory stream answers with (NATS's codes).</summary>
internal sealed partial class InMemoryStream
{
    private void CheckExpectations(string subject, string messageId, PublishOptions expect)
    {
        if (expect.ExpectedStream is { } stream && stream != Name)
        {
            throw Refused(messageId, subject, JetStreamErrorCodes.WrongExpectedStream, ImbErrorKind.ExpectationFailed, "expected stream does not match");
        }

        if (expect.ExpectedLastSequence is { } last && last != _log.Last)
        {
            throw Refused(messageId, subject, JetStreamErrorCodes.WrongLastSequence, ImbErrorKind.ExpectationFailed, $"wrong last sequence: {_log.Last}");
        }

        if (expect.ExpectedLastSubjectSequence is { } lastOnSubject && lastOnSubject != LastOnSubject(subject))
        {
            throw Refused(messageId, subject, JetStreamErrorCodes.WrongLastSequence, ImbErrorKind.ExpectationFailed, $"wrong last sequence: {LastOnSubject(subject)}");
        }

        var lastMessageId = _log.Last == 0 ? null : _lastCallerId ?? MessageIds.Format(_lastGenerated);
        if (expect.ExpectedLastMessageId is { } lastId && lastId != lastMessageId)
        {
            throw Refused(messageId, subject, JetStreamErrorCodes.WrongLastMessageId, ImbErrorKind.ExpectationFailed, $"wrong last msg ID: {lastMessageId}");
        }
    }

    private static ImbException Refused(string messageId, string subject, int code, ImbErrorKind kind, string description) =>
        new($"The stream refused message {messageId} on subject {subject}: {description} (code 503, err_code {code}).") { Kind = kind, ServerErrorCode = code };
}

