namespace DiffusionFunctions.Api.Problems;

/// <summary>
/// Stable RFC 7807 <c>type</c> URIs for every error the API returns. They are identifiers, documented in
/// <c>openapi.yaml</c> and the README; clients switch on them, never on <c>title</c> or <c>detail</c>.
/// </summary>
public static class ProblemTypes
{
    /// <summary>The base all problem types share.</summary>
    public const string Base = Core.Problems.ProblemTypeUris.Base;

    /// <summary>400: fields are missing, unknown, of the wrong type or out of range (see <c>errors</c>).</summary>
    public const string Validation = Core.Problems.ProblemTypeUris.Validation;

    /// <summary>400: the body is not a JSON object (or the multipart body is broken).</summary>
    public const string MalformedBody = Core.Problems.ProblemTypeUris.MalformedBody;

    /// <summary>413: the body or an image is too large (bytes or pixels).</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";

    /// <summary>415: the body's content type, or an image's format, is not supported.</summary>
    public const string UnsupportedMediaType = Base + "unsupported-media-type";

    /// <summary>422: the prompt contains blocked terms (see <c>category</c> and <c>matches</c>).</summary>
    public const string PolicyViolation = Core.Problems.ProblemTypeUris.PolicyViolation;

    /// <summary>409: the <c>Idempotency-Key</c> was used before with a different request.</summary>
    public const string IdempotencyConflict = Base + "idempotency-conflict";

    /// <summary>409: the <c>Idempotency-Key</c>'s first request is still being processed; retry after <c>Retry-After</c>.</summary>
    public const string IdempotencyInProgress = Base + "idempotency-in-progress";

    /// <summary>404: no job with that id.</summary>
    public const string NotFound = Base + "not-found";

    /// <summary>409: the job already succeeded or failed and cannot be cancelled.</summary>
    public const string JobFinished = Base + "job-finished";

    /// <summary>422: every item of a batch was refused (see <c>items</c>); no batch was created.</summary>
    public const string BatchRefused = Base + "batch-refused";

    /// <summary>409: the batch already finished and cannot be cancelled.</summary>
    public const string BatchFinished = Base + "batch-finished";

    /// <summary>503: storage is unreachable.</summary>
    public const string StorageUnavailable = Base + "storage-unavailable";

    /// <summary>500: the job's stored record cannot be read (corrupt); the job cannot be shown or cancelled.</summary>
    public const string JobRecordUnreadable = Base + "job-record-unreadable";

    /// <summary>404: no function answers at this path (the in-process host's answer for unmatched routes).</summary>
    public const string RouteNotFound = Base + "route-not-found";

    /// <summary>405: the path exists but not for this HTTP method (the in-process host).</summary>
    public const string MethodNotAllowed = Base + "method-not-allowed";

    /// <summary>414: the URL is longer than the server accepts (the in-process host).</summary>
    public const string UriTooLong = Base + "uri-too-long";

    /// <summary>500: an unexpected error (the <c>traceId</c> finds it in the logs).</summary>
    public const string Internal = Base + "internal";

    /// <summary>503 from the local run's health check: the in-process queue listener is not taking messages.</summary>
    public const string WorkerUnavailable = Base + "worker-unavailable";
}
