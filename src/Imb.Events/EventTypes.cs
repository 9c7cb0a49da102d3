namespace Imb.Events;

/// <summary>The catalogue of event type names; an event of type <c>t</c> travels on subject <c>gdc.events.t</c>.</summary>
public static class EventTypes
{
    /// <summary>A pin of content was requested.</summary>
    public const string PinRequested = "pin.requested";

    /// <summary>Content is pinned where the plan said.</summary>
    public const string PinCompleted = "pin.completed";

    /// <summary>A pin could not be completed.</summary>
    public const string PinFailed = "pin.failed";

    /// <summary>A placement plan is ready.</summary>
    public const string PlanReady = "plan.ready";

    /// <summary>No placement plan could be made.</summary>
    public const string PlanFailed = "plan.failed";

    /// <summary>A workflow step progressed.</summary>
    public const string ExecProgress = "exec.progress";

    /// <summary>A workflow completed.</summary>
    public const string ExecCompleted = "exec.completed";

    /// <summary>A workflow failed.</summary>
    public const string ExecFailed = "exec.failed";

    /// <summary>A resource's health changed.</summary>
    public const string HealthChanged = "health.changed";

    /// <summary>A node went down.</summary>
    public const string NodeDown = "node.down";

    /// <summary>A node came up.</summary>
    public const string NodeUp = "node.up";

    /// <summary>A zone went down.</summary>
    public const string ZoneDown = "zone.down";

    /// <summary>A zone came up.</summary>
    public const string ZoneUp = "zone.up";

    /// <summary>A policy was created or changed.</summary>
    public const string PolicyUpdated = "policy.updated";

    /// <summary>A policy was deleted.</summary>
    public const string PolicyDeleted = "policy.deleted";

    /// <summary>An alert fired.</summary>
    public const string AlertTriggered = "alert.triggered";

    /// <summary>An alert was resolved.</summary>
    public const string AlertResolved = "alert.resolved";

    /// <summary>The stream every event is stored in (declared by <c>AddEvents</c> in the default topology).</summary>
    public const string Stream = "GDC_EVENTS";

    /// <summary>The subject prefix of every event.</summary>
    public const string SubjectPrefix = "gdc.events.";

    /// <summary>Returns the subject an event type travels on.</summary>
    /// <param name="type">The event type, e.g. <see cref="PinRequested"/>.</param>
    /// <returns><c>gdc.events.&lt;type&gt;</c>.</returns>
    public static string SubjectOf(string type) => SubjectPrefix + type;
}
