using System.Text.Json;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// Executes the functions' results the way ASP.NET Core does (MVC result executors) and checks the bytes on the wire:
/// status, headers, content type and the JSON property names clients and <c>openapi.yaml</c> rely on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WireFormatTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Accepted_submission_is_camel_case_json_with_location()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post("/api/generations").WithJson("""{"prompt":"a moth","seed":99,"mode":"txt2img"}""").Build();
        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        using var json = await ExecuteAsync(result, request.HttpContext);

        Assert.Equal(202, request.HttpContext.Response.StatusCode);
        Assert.StartsWith("application/json", request.HttpContext.Response.ContentType, StringComparison.Ordinal);
        var id = json.RootElement.GetProperty("id").GetString();
        Assert.Equal($"https://localhost:7071/api/generations/{id}", request.HttpContext.Response.Headers.Location.ToString());
        Assert.Equal("queued", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(99, json.RootElement.GetProperty("parameters").GetProperty("seed").GetInt64());
        Assert.Equal("txt2img", json.RootElement.GetProperty("parameters").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Validation_problem_is_problem_json_with_errors_by_field()
    {
        var context = HttpRequestBuilder.Post("/api/generations").Build().HttpContext;
        var errors = new Core.Generation.ValidationErrors();
        errors.Add("width", "width must be a multiple of 8, got 500.");

        using var json = await ExecuteAsync(ProblemResults.Validation(errors), context);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Equal(ProblemTypes.Validation, json.RootElement.GetProperty("type").GetString());
        Assert.Equal("width must be a multiple of 8, got 500.", json.RootElement.GetProperty("errors").GetProperty("width")[0].GetString());
    }

    [Fact]
    public async Task Policy_problem_carries_category_and_matches()
    {
        var verdict = new Core.Policy.PromptPolicyVerdict(true, [new Core.Policy.PromptPolicyMatch("gore", "violence")]);
        var context = HttpRequestBuilder.Post("/api/generations").Build().HttpContext;

        using var json = await ExecuteAsync(ProblemResults.PolicyViolation("prompt", verdict, Core.Policy.PromptPolicyRevealMatches.Terms), context);

        Assert.Equal(422, context.Response.StatusCode);
        Assert.Equal("violence", json.RootElement.GetProperty("category").GetString());
        Assert.Equal("prompt", json.RootElement.GetProperty("field").GetString());
        var match = json.RootElement.GetProperty("matches")[0];
        Assert.Equal(("gore", "violence"), (match.GetProperty("term").GetString(), match.GetProperty("category").GetString()));
    }

    private static async Task<JsonDocument> ExecuteAsync(IActionResult result, HttpContext context)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMvcCore();
        await using var provider = services.BuildServiceProvider();
        context.RequestServices = provider;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        return await JsonDocument.ParseAsync(context.Response.Body);
    }
}
