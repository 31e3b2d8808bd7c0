using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary>
/// <c>GET /api/openapi.yaml</c> (anonymous): the API's OpenAPI 3.0 document, embedded in the assembly at build, so the
/// description served is always the one this build was tested against.
/// </summary>
public sealed class OpenApiDocumentFunction
{
    /// <summary>The manifest name of the embedded document.</summary>
    public const string ResourceName = "DiffusionFunctions.Api.openapi.yaml";

    /// <summary>The media type served (RFC 9512).</summary>
    public const string ContentType = "application/yaml; charset=utf-8";

    private static readonly Lazy<string> Document = new(Read);

    /// <summary>Serves the document.</summary>
    [Function(nameof(GetOpenApiDocument))]
    public IActionResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return new ContentResult { Content = Document.Value, ContentType = ContentType, StatusCode = StatusCodes.Status200OK };
    }

    private static string Read()
    {
        using var stream = typeof(OpenApiDocumentFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly {typeof(OpenApiDocumentFunction).Assembly.GetName().Name} has no embedded resource {ResourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
