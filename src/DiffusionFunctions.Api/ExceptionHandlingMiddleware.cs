using DiffusionFunctions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Api;

/// <summary>
/// The one place unhandled exceptions become RFC 7807 responses (<see cref="ExceptionProblemMapper"/>), so functions
/// need no try/catch of their own. Expected errors are returned by the functions as problem results directly.
/// </summary>
public sealed class ExceptionHandlingMiddleware(ILogger<ExceptionHandlingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <inheritdoc />
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { } http && !http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            var problem = ExceptionProblemMapper.Map(ex, context.InvocationId);
            logger.LogError(ex, "Function {Function} failed; answering {Status} {Type} (trace {TraceId})",
                context.FunctionDefinition.Name, problem.Status, problem.Type, context.InvocationId);
            http.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
            await http.Response.WriteAsJsonAsync(problem, options: null, contentType: ProblemResults.ContentType, http.RequestAborted);
        }
    }
}
