using System.Diagnostics;

namespace DiffusionFunctions.Core.Telemetry;

/// <summary>
/// A W3C trace context (<c>traceparent</c>, optional <c>tracestate</c>) carried in a queue message body, since storage
/// queues have no message properties.
/// </summary>
/// <param name="TraceParent">The <c>traceparent</c> value (<c>00-{trace id}-{span id}-{flags}</c>).</param>
/// <param name="TraceState">The <c>tracestate</c> value, if any.</param>
public sealed record TraceContext(string TraceParent, string? TraceState)
{
    /// <summary>The context of <see cref="Activity.Current"/>, or null when nothing is being traced.</summary>
    public static TraceContext? FromCurrentActivity()
        => Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } current
            ? new TraceContext(id, string.IsNullOrEmpty(current.TraceStateString) ? null : current.TraceStateString)
            : null;

    /// <summary>The parent context it names; false when the value is not a valid <c>traceparent</c>.</summary>
    public bool TryGetParent(out ActivityContext parent)
        => ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out parent);
}
