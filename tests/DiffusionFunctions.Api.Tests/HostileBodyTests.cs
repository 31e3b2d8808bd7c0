using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// Bodies from the outside audit that used to give 500s or huge answers: invalid UTF-8 and escaped lone surrogates in
/// JSON bodies and multipart parts (400 malformed-body naming where), and 12 MB of unknown fields (a bounded 400, fast).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostileBodyTests(AzuriteFixture azurite)
{
    private const string Path = "/api/generations";

    [Fact]
    public async Task Invalid_utf8_in_a_json_body_is_a_400_malformed_body_naming_the_offset()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        byte[] body = [.. """{"prompt":"a """u8, 0xC3, 0x28, .. """ cat"}"""u8];

        var result = await Submit(host, HttpRequestBuilder.Post(Path).WithBody(body, "application/json"));

        var problem = ProblemAssert.IsProblem(result, 400, ProblemTypes.MalformedBody, "body");
        Assert.Contains("offset 13", problem.Detail, StringComparison.Ordinal);
        await host.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("""{"prompt":"\ud800"}""", "prompt")]
    [InlineData("""{"\ud800":"x","prompt":"a cat"}""", "body")]
    public async Task A_lone_surrogate_in_a_json_body_is_a_400_malformed_body_naming_where(string json, string field)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await Submit(host, HttpRequestBuilder.Post(Path).WithJson(json));

        var problem = ProblemAssert.IsProblem(result, 400, ProblemTypes.MalformedBody, field);
        Assert.Contains("lone surrogate", problem.Detail, StringComparison.Ordinal);
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Invalid_utf8_in_the_multipart_request_part_is_a_400_naming_the_part()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path).WithMultipart(content =>
        {
            var part = new ByteArrayContent([.. """{"prompt":"a """u8, 0xFF, .. "\"}"u8]);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Add(part, "request");
        });

        var problem = ProblemAssert.IsProblem(await Submit(host, request), 400, ProblemTypes.MalformedBody, "request");
        Assert.Contains("'request' part is not valid UTF-8", problem.Detail, StringComparison.Ordinal);
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_lone_surrogate_in_the_multipart_request_part_is_a_400_naming_the_field()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path).WithMultipart(content =>
            HttpRequestBuilder.AddJsonPart(content, "request", """{"prompt":"a cat","negativePrompt":"\udc00"}"""));

        ProblemAssert.IsProblem(await Submit(host, request), 400, ProblemTypes.MalformedBody, "negativePrompt");
        await host.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    public async Task Invalid_utf8_in_a_multipart_part_name_is_a_400_not_a_500(byte[] badName)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        byte[] body =
        [
            .. "--b\r\nContent-Disposition: form-data; name=\"request\"\r\nContent-Type: application/json\r\n\r\n{\"prompt\":\"a cat\"}\r\n"u8,
            .. "--b\r\nContent-Disposition: form-data; name=\"x"u8, .. badName, .. "\"\r\n\r\nvalue\r\n--b--\r\n"u8,
        ];

        var result = await Submit(host, HttpRequestBuilder.Post(Path).WithBody(body, "multipart/form-data; boundary=b"));

        var status = Assert.IsType<ObjectResult>(result).StatusCode;
        Assert.Equal(400, status);
        Assert.IsAssignableFrom<ProblemDetails>(((ObjectResult)result).Value);
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Twelve_megabytes_of_unknown_fields_get_a_small_400_quickly()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var limit = new ApiOptions().MaxRequestBytes;
        var json = new StringBuilder(limit).Append('{');
        var fields = 0;
        while (json.Length < limit - 32)
        {
            json.Append(fields == 0 ? string.Empty : ",").Append("\"u").Append(fields++).Append("\":0");
        }

        var body = Encoding.UTF8.GetBytes(json.Append('}').ToString());
        Assert.True(body.Length > 12_000_000 && body.Length <= limit, $"body is {body.Length} bytes");
        var clock = Stopwatch.StartNew();

        var result = await Submit(host, HttpRequestBuilder.Post(Path).WithBody(body, "application/json"));

        clock.Stop();
        var problem = ProblemAssert.IsProblem(result, 400, ProblemTypes.Validation, "u0");
        var errors = ((ValidationProblemDetails)problem).Errors;
        Assert.Equal(ValidationErrors.MaxFields, errors.Count);
        Assert.Equal(fields - ValidationErrors.MaxFields, (int)problem.Extensions["omittedErrors"]!);
        var size = JsonSerializer.SerializeToUtf8Bytes(problem).Length;
        Assert.True(size < 8 * 1024, $"the problem is {size} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Many_unknown_multipart_parts_get_a_bounded_answer()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path).WithMultipart(content =>
        {
            for (var i = 0; i < 500; i++)
            {
                content.Add(new StringContent("x"), "part" + i + new string('y', 200));
            }
        });

        var problem = ProblemAssert.IsProblem(await Submit(host, request), 400, ProblemTypes.Validation, null);
        Assert.Equal(ValidationErrors.MaxFields, ((ValidationProblemDetails)problem).Errors.Count);
        Assert.All(((ValidationProblemDetails)problem).Errors.Keys, key => Assert.True(key.Length <= ValidationErrors.MaxFieldNameLength));
    }

    private static Task<IActionResult> Submit(ApiTestHost host, HttpRequestBuilder request)
        => host.Create<SubmitGenerationFunction>().SubmitGeneration(request.Build(), CancellationToken.None);
}
