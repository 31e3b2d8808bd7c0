using System.Text.Json;
using Azure;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Api.Tests;

public sealed class ExceptionHandlingMiddlewareTests
{
    [Fact]
    public async Task Unhandled_storage_failure_is_written_as_a_503_problem_json_response()
    {
        var request = HttpRequestBuilder.Get("/api/generations/x").Build();
        var context = new TestFunctionContext(request.HttpContext);
        var middleware = new ExceptionHandlingMiddleware(NullLogger<ExceptionHandlingMiddleware>.Instance);

        await middleware.Invoke(context, _ => throw new RequestFailedException(500, "boom"));

        var response = request.HttpContext.Response;
        Assert.Equal(503, response.StatusCode);
        Assert.StartsWith(ProblemResults.ContentType, response.ContentType, StringComparison.Ordinal);
        response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(response.Body);
        Assert.Equal(ProblemTypes.StorageUnavailable, json.RootElement.GetProperty("type").GetString());
        Assert.Equal("inv-1", json.RootElement.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Successful_invocation_passes_through_untouched()
    {
        var request = HttpRequestBuilder.Get("/api/health").Build();
        var middleware = new ExceptionHandlingMiddleware(NullLogger<ExceptionHandlingMiddleware>.Instance);
        var called = false;

        await middleware.Invoke(new TestFunctionContext(request.HttpContext), _ =>
        {
            called = true;
            return Task.CompletedTask;
        });

        Assert.True(called);
        Assert.Equal(200, request.HttpContext.Response.StatusCode);
        Assert.Equal(0, request.HttpContext.Response.Body.Length);
    }

    [Fact]
    public async Task Non_http_invocations_rethrow()
    {
        var middleware = new ExceptionHandlingMiddleware(NullLogger<ExceptionHandlingMiddleware>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            middleware.Invoke(new TestFunctionContext(null), _ => throw new InvalidOperationException("queue")));
    }

    /// <summary>A function context carrying an HttpContext the way the ASP.NET Core integration does (Items["HttpRequestContext"]).</summary>
    private sealed class TestFunctionContext : FunctionContext
    {
        public TestFunctionContext(HttpContext? http)
        {
            if (http is not null)
            {
                Items["HttpRequestContext"] = http;
            }
        }

        public override string InvocationId => "inv-1";

        public override string FunctionId => "fn-1";

        public override TraceContext TraceContext => null!;

        public override BindingContext BindingContext => null!;

        public override RetryContext RetryContext => null!;

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition { get; } = new TestFunctionDefinition();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => null!;
    }

    private sealed class TestFunctionDefinition : FunctionDefinition
    {
        public override System.Collections.Immutable.ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => string.Empty;

        public override string EntryPoint => "Test";

        public override string Id => "fn-1";

        public override string Name => "Test";

        public override System.Collections.Immutable.IImmutableDictionary<string, BindingMetadata> InputBindings
            => System.Collections.Immutable.ImmutableDictionary<string, BindingMetadata>.Empty;

        public override System.Collections.Immutable.IImmutableDictionary<string, BindingMetadata> OutputBindings
            => System.Collections.Immutable.ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
