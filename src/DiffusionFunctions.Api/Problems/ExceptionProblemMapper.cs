using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Problems;

/// <summary>Maps an exception no function handled to the problem the client gets (no internals leak into <c>detail</c>).</summary>
public static class ExceptionProblemMapper
{
    /// <summary>The problem for <paramref name="exception"/>; <paramref name="traceId"/> lets operators find the log entry.</summary>
    public static ProblemDetails Map(Exception exception, string traceId)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var problem = Unwrap(exception) switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Type = ProblemTypes.PayloadTooLarge,
                Title = "The payload is too large.",
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = "The request body exceeds the server's limit.",
            },
            Core.Jobs.JobRecordUnreadableException => new ProblemDetails
            {
                Type = ProblemTypes.JobRecordUnreadable,
                Title = "The job's record cannot be read.",
                Status = StatusCodes.Status500InternalServerError,
                Detail = "A stored job record cannot be read; quote the traceId when reporting it.",
            },
            RequestFailedException or HttpRequestException => new ProblemDetails
            {
                Type = ProblemTypes.StorageUnavailable,
                Title = "Storage is unavailable.",
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "Storage did not answer; retry later.",
            },
            _ => new ProblemDetails
            {
                Type = ProblemTypes.Internal,
                Title = "An unexpected error occurred.",
                Status = StatusCodes.Status500InternalServerError,
                Detail = "The server failed to process the request; quote the traceId when reporting it.",
            },
        };
        problem.Extensions["traceId"] = traceId;
        return problem;
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception.InnerException is RequestFailedException inner && exception is not RequestFailedException ? inner : exception;
    }
}
