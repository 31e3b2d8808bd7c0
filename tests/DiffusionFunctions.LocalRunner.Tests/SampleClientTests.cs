using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The run command's client prints API errors as API errors (issue 14, item 9): a 503 problem while polling is reported
/// and retried, not a crash on a missing member; a 404 problem ends the run in the problem's own words.
/// </summary>
public sealed class SampleClientTests
{
    private const string Problem = "application/problem+json";

    [Fact]
    public async Task A_503_while_polling_is_reported_and_retried()
    {
        var polls = 0;
        await using var api = await FakeApiAsync(http => ++polls switch
        {
            1 => Results.Content("""{"type":"https://diffusionfunctions.dev/problems/storage-unavailable","title":"Storage is unavailable.","status":503,"detail":"Storage did not answer."}""", Problem, statusCode: 503),
            2 => Results.Json(new { id = "j1", status = "running", progress = new { step = 1, totalSteps = 2 } }),
            _ => Results.Json(new { id = "j1", status = "succeeded", results = new[] { new Uri(BaseOf(http), "png").ToString() } }),
        });
        var output = new StringWriter();
        var folder = Directory.CreateTempSubdirectory("dfx-sample-client-");
        try
        {
            var png = await WithConsoleAsync(output, () => SampleClient.RunAsync(Address(api), new LocalRunOptions { OutputDirectory = folder.FullName }, folder.FullName, CancellationToken.None));
            Assert.Equal(TestImages.Png(8, 8), await File.ReadAllBytesAsync(png));
            Assert.Contains("the API answered 503 storage-unavailable: Storage did not answer. (retrying)", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("running 1/2", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_404_while_polling_ends_the_run_in_the_apis_words()
    {
        await using var api = await FakeApiAsync(_ => Results.Content("""{"type":"https://diffusionfunctions.dev/problems/not-found","status":404,"detail":"No job with id j1."}""", Problem, statusCode: 404));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WithConsoleAsync(new StringWriter(), () => SampleClient.RunAsync(Address(api), new LocalRunOptions(), Path.GetTempPath(), CancellationToken.None)));
        Assert.Equal("reading the job: the API answered 404 not-found: No job with id j1.", error.Message);
    }

    private static Uri BaseOf(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host}/");

    private static Uri Address(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    private static async Task<WebApplication> FakeApiAsync(Func<HttpContext, IResult> poll)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/api/generations", (HttpContext http) => Results.Json(new { id = "j1", status = "queued" }, statusCode: 202)
            .WithLocation(new Uri(BaseOf(http), "api/generations/j1")));
        app.MapGet("/api/generations/j1", poll);
        app.MapGet("/png", () => Results.Bytes(TestImages.Png(8, 8), "image/png"));
        await app.StartAsync();
        return app;
    }

    /// <summary>Console output is process-wide; the tests of this class run one at a time (one xunit class).</summary>
    private static async Task<T> WithConsoleAsync<T>(TextWriter writer, Func<Task<T>> action)
    {
        var original = Console.Out;
        Console.SetOut(writer);
        try
        {
            return await action();
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}

internal static class ResultLocationExtensions
{
    public static IResult WithLocation(this IResult result, Uri location) => new Located(result, location);

    private sealed class Located(IResult inner, Uri location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location.ToString();
            return inner.ExecuteAsync(httpContext);
        }
    }
}
