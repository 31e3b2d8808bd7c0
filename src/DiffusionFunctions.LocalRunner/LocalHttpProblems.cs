using System.Globalization;
using DiffusionFunctions.Api.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Makes the in-process host answer what no function answers the way the functions do, with RFC 7807 problems:
/// unmatched routes (404 <c>route-not-found</c>), a known path with another method (405 <c>method-not-allowed</c>) and
/// over-long URLs (414 <c>uri-too-long</c>). Kestrel answers request lines over its own limit with an empty 414 before
/// any middleware runs, so its limit is raised well above <see cref="MaxUrlLength"/>; only a request line over
/// <see cref="KestrelRequestLineLimit"/> still gets Kestrel's empty answer.
/// </summary>
internal static class LocalHttpProblems
{
    /// <summary>Longest URL (path and query, as sent) the host serves; longer ones get a 414 problem.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Kestrel's request-line limit, raised so that the 414 above is ours.</summary>
    public const int KestrelRequestLineLimit = 256 * 1024;

    /// <summary>Raises Kestrel's request-line limit (see the class summary).</summary>
    public static void ConfigureKestrel(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.MaxRequestLineSize = KestrelRequestLineLimit;
        options.Limits.MaxRequestHeadersTotalSize = 2 * KestrelRequestLineLimit; // the line counts here too; Kestrel's 1 MB request buffer still holds it
    }

    /// <summary>Adds the URL-length check and the problem bodies for bare 404/405 answers to <paramref name="app"/>.</summary>
    public static void Use(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (http, next) =>
        {
            var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value + http.Request.QueryString.Value;
            if (target.Length > MaxUrlLength)
            {
                await WriteAsync(http, StatusCodes.Status414UriTooLong, ProblemTypes.UriTooLong, "The URL is too long.",
                    string.Create(CultureInfo.InvariantCulture, $"The URL is {target.Length} characters; the limit is {MaxUrlLength}."));
                return;
            }

            await next(http);
        });
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            switch (http.Response.StatusCode)
            {
                case StatusCodes.Status404NotFound:
                    await WriteAsync(http, StatusCodes.Status404NotFound, ProblemTypes.RouteNotFound, "No function answers at this path.",
                        "No function answers at this path; the API serves /api/generations, /api/generations/{id} and /api/health.");
                    break;
                case StatusCodes.Status405MethodNotAllowed:
                    await WriteAsync(http, StatusCodes.Status405MethodNotAllowed, ProblemTypes.MethodNotAllowed, "The method is not allowed here.",
                        $"{http.Request.Method} is not served at this path.");
                    break;
            }
        });
    }

    private static Task WriteAsync(HttpContext http, int status, string type, string title, string detail)
    {
        var problem = new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail };
        problem.Extensions["traceId"] = http.TraceIdentifier;
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(problem, options: null, contentType: ProblemResults.ContentType, http.RequestAborted);
    }
}
