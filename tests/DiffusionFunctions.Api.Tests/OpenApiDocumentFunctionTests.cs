using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

public sealed class OpenApiDocumentFunctionTests
{
    [Fact]
    public void Serves_the_document_of_this_build_as_yaml()
    {
        var request = HttpRequestBuilder.Get("/api/openapi.yaml").Build();

        var result = Assert.IsType<ContentResult>(new OpenApiDocumentFunction().GetOpenApiDocument(request));

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("application/yaml; charset=utf-8", result.ContentType);
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi.yaml")), result.Content);
        Assert.Contains("operationId: GetOpenApiDocument", result.Content, StringComparison.Ordinal);
        Assert.Equal("public, max-age=300", request.HttpContext.Response.Headers.CacheControl.ToString());
    }
}
