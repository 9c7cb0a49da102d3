using Imb.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imb.Subscribing;

/// <summary>Finds a subscription of the mode's engine by name and flips its pause switch; the same code for both modes.</summary>
internal sealed class SubscriptionControl(ModeSelection mode, ILoggerFactory loggerFactory) : ISubscriptions
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Subscribing");

    public async ValueTask PauseAsync(string name, CancellationToken cancellationToken = default)
    {
        var status = Find(name);
        string where;
        try
        {
            where = await status.Pause.PauseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ImbException e)
        {
            _logger.SubscriptionPauseFailed(e, status.Name, status.Stream, status.Consumer, "pause");
            throw;
        }

        _logger.SubscriptionPausedOnRequest(status.Name, status.Stream, status.Consumer, where);
    }

    public async ValueTask ResumeAsync(string name, CancellationToken cancellationToken = default)
    {
        var status = Find(name);
        string where;
        try
        {
            where = await status.Pause.ResumeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ImbException e)
        {
            _logger.SubscriptionPauseFailed(e, status.Name, status.Stream, status.Consumer, "resume");
            throw;
        }

        _logger.SubscriptionResumedOnRequest(status.Name, status.Stream, status.Consumer, where);
    }

    private SubscriptionStatus Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var statuses = mode.Subscriptions.Statuses;
        return statuses.FirstOrDefault(s => s.Name == name) ?? throw new ImbException(
            $"No subscription {name} runs in this host (running: {(statuses.Count == 0 ? "none; is the host started?" : string.Join(", ", statuses.Select(s => s.Name)))}).")
        { Kind = ImbErrorKind.Invalid };
    }
}
