using System.Text.Json;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Api.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class SubmitGenerationTests(AzuriteFixture azurite)
{
    private const string Path = "/api/generations";

    [Fact]
    public async Task Accepted_request_answers_202_with_location_and_stores_job_and_one_small_message()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path)
            .WithJson("""{"prompt":"a lighthouse at dusk","negativePrompt":"blurry","width":640,"height":384,"steps":20,"scheduler":"euler"}""")
            .Build();

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        var accepted = Assert.IsType<AcceptedResult>(result);
        Assert.Equal(StatusCodes.Status202Accepted, accepted.StatusCode);
        var resource = Assert.IsType<GenerationResource>(accepted.Value);
        Assert.Matches("^[0-9a-f]{32}$", resource.Id);
        Assert.Equal("queued", resource.Status);
        Assert.Equal($"https://localhost:7071/api/generations/{resource.Id}", request.HttpContext.Response.Headers.Location.ToString());
        Assert.Equal(accepted.Location, request.HttpContext.Response.Headers.Location.ToString());
        Assert.Equal("2", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal(640, resource.Parameters.Width);
        Assert.Equal(384, resource.Parameters.Height);
        Assert.Equal(20, resource.Parameters.Steps);
        Assert.Null(resource.Parameters.GuidanceScale); // the model's, filled in by the worker
        Assert.Equal("euler", resource.Parameters.Scheduler);
        Assert.Equal("txt2img", resource.Parameters.Mode);
        Assert.InRange(resource.Parameters.Seed, 0, uint.MaxValue);

        var stored = await host.Jobs.GetAsync(resource.Id);
        Assert.NotNull(stored);
        Assert.Equal(JobStatus.Queued, stored.Status);
        Assert.Equal(resource.Parameters.Seed, stored.Parameters.Seed);
        Assert.Equal("blurry", stored.Parameters.NegativePrompt);
        // The job record, and the anonymous caller's index blob for the day (GET /api/generations).
        Assert.Equal([$"{resource.Id}.json"], (await host.ListBlobsAsync(host.JobsContainer)).Where(n => !n.StartsWith("owners/", StringComparison.Ordinal)));
        Assert.Single(await host.ListBlobsAsync(host.JobsContainer), n => n.StartsWith(Listing.CallerJobIndex.PrefixFor(Listing.CallerIdentity.Anonymous), StringComparison.Ordinal));

        var message = Assert.Single(await host.PeekGenerationMessagesAsync());
        using var json = JsonDocument.Parse(message);
        Assert.Equal(GenerationQueueMessage.CurrentSchemaVersion, json.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(resource.Id, json.RootElement.GetProperty("jobId").GetString());
        Assert.Equal(host.Names.JobsContainer, json.RootElement.GetProperty("jobsContainer").GetString());
        Assert.Equal($"{resource.Id}.json", json.RootElement.GetProperty("jobBlob").GetString());
        Assert.DoesNotContain("lighthouse", message, StringComparison.Ordinal);
        Assert.True(message.Length < 512, $"The queue message should be small, was {message.Length} characters.");
    }

    [Fact]
    public async Task Given_seed_is_kept_and_model_dependent_values_stay_unset()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var result = await Submit(host, """{"prompt":"a red fox","seed":4294967295}""");

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value);
        Assert.Equal(4294967295L, resource.Parameters.Seed);
        // Size, steps, guidance and scheduler stay unset: the worker fills them from the model it serves.
        Assert.Null(resource.Parameters.Width);
        Assert.Null(resource.Parameters.Height);
        Assert.Null(resource.Parameters.Steps);
        Assert.Null(resource.Parameters.GuidanceScale);
        Assert.Equal(1, resource.Parameters.Count);
        Assert.Null(resource.Parameters.Scheduler);
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_returns_the_same_job_and_enqueues_once()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        const string Body = """{"prompt":"a quiet harbour","seed":7}""";

        var first = await Submit(host, Body, "key-harbour-1");
        var secondRequest = HttpRequestBuilder.Post(Path).WithHeader("Idempotency-Key", "key-harbour-1").WithJson(Body).Build();
        var second = await host.Create<SubmitGenerationFunction>().SubmitGeneration(secondRequest, CancellationToken.None);

        var firstId = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(first).Value).Id;
        var secondId = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(second).Value).Id;
        Assert.Equal(firstId, secondId);
        Assert.Equal("true", secondRequest.HttpContext.Response.Headers["Idempotent-Replayed"].ToString());
        Assert.Single(await host.PeekGenerationMessagesAsync());
        Assert.Single(await host.ListBlobsAsync(host.JobsContainer), n => !n.StartsWith("idempotency/", StringComparison.Ordinal) && !n.StartsWith("owners/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_idempotency_key_with_a_different_body_is_a_409_and_enqueues_nothing_more()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var first = await Submit(host, """{"prompt":"a quiet harbour","seed":7}""", "key-harbour-2");
        var firstId = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(first).Value).Id;

        var second = await Submit(host, """{"prompt":"a quiet harbour","seed":8}""", "key-harbour-2");

        var problem = ProblemAssert.IsProblem(second, 409, ProblemTypes.IdempotencyConflict, "Idempotency-Key");
        Assert.Equal(firstId, problem.Extensions["jobId"]);
        Assert.Single(await host.PeekGenerationMessagesAsync());
    }

    [Fact]
    public async Task Racing_requests_with_one_idempotency_key_create_one_job()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        const string Body = """{"prompt":"two racers","seed":1}""";

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Submit(host, Body, "key-race"))));

        var ids = results.Select(r => Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(r).Value).Id).Distinct().ToList();
        Assert.Single(ids);
        Assert.Single(await host.PeekGenerationMessagesAsync());
    }

    [Fact]
    public async Task Json_and_multipart_forms_of_one_request_are_the_same_request_for_idempotency()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var png = TestImages.Png(8, 8);
        var json = await Submit(host, $$"""{"prompt":"a tiled roof","mode":"img2img","initImage":"{{Convert.ToBase64String(png)}}","seed":3}""", "key-forms");
        var multipart = HttpRequestBuilder.Post(Path).WithHeader("Idempotency-Key", "key-forms").WithMultipart(content =>
        {
            HttpRequestBuilder.AddJsonPart(content, "request", """{"prompt":"a tiled roof","mode":"img2img","seed":3}""");
            HttpRequestBuilder.AddFilePart(content, "initImage", png, "image/png", "init.png");
        }).Build();

        var replay = await host.Create<SubmitGenerationFunction>().SubmitGeneration(multipart, CancellationToken.None);

        Assert.Equal(
            Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(json).Value).Id,
            Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(replay).Value).Id);
        Assert.Single(await host.PeekGenerationMessagesAsync());
    }

    [Fact]
    public async Task Img2img_with_a_base64_png_stores_the_image_as_a_blob_and_only_its_name_travels()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var png = TestImages.Png(8, 8);

        var result = await Submit(host, $$"""{"prompt":"a watercolour version","mode":"img2img","strength":0.6,"initImage":"{{Convert.ToBase64String(png)}}"}""");

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value);
        Assert.True(resource.Parameters.HasInitImage);
        Assert.Equal(0.6, resource.Parameters.Strength);
        var blobName = $"{resource.Id}/init.png";
        Assert.Equal([blobName], await host.ListBlobsAsync(host.InputsContainer));
        var blob = await host.InputsContainer.GetBlobClient(blobName).DownloadContentAsync();
        Assert.Equal(png, blob.Value.Content.ToArray());
        Assert.Equal("image/png", blob.Value.Details.ContentType);
        var stored = await host.Jobs.GetAsync(resource.Id);
        Assert.Equal(blobName, stored!.Parameters.InitImageBlob);
        var message = Assert.Single(await host.PeekGenerationMessagesAsync());
        Assert.DoesNotContain(Convert.ToBase64String(png)[..16], message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multipart_inpaint_stores_init_image_and_mask_blobs()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var init = TestImages.Png(16, 8);
        var mask = TestImages.Png(16, 8);
        var request = HttpRequestBuilder.Post(Path).WithMultipart(content =>
        {
            HttpRequestBuilder.AddJsonPart(content, "request", """{"prompt":"fill the gap","mode":"inpaint"}""");
            HttpRequestBuilder.AddFilePart(content, "initImage", init, "image/png", "init.png");
            HttpRequestBuilder.AddFilePart(content, "mask", mask, "image/png", "mask.png");
        }).Build();

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value);
        Assert.Equal("inpaint", resource.Parameters.Mode);
        Assert.Equal(
            new[] { $"{resource.Id}/init.png", $"{resource.Id}/mask.png" },
            (await host.ListBlobsAsync(host.InputsContainer)).Order(StringComparer.Ordinal));
        var stored = await host.Jobs.GetAsync(resource.Id);
        Assert.Equal($"{resource.Id}/mask.png", stored!.Parameters.MaskBlob);
    }

    [Fact]
    public async Task Blocked_prompt_is_a_422_policy_problem_with_the_category_but_not_the_term_by_default_and_nothing_is_stored()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await Submit(host, """{"prompt":"a battlefield full of gore"}""");

        var problem = ProblemAssert.IsProblem(result, 422, ProblemTypes.PolicyViolation, "prompt");
        Assert.Equal("violence", problem.Extensions["category"]);
        Assert.Equal(["violence"], (string[])problem.Extensions["categories"]!);
        Assert.False(problem.Extensions.ContainsKey("matches"));
        Assert.DoesNotContain("gore", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("violence", problem.Detail, StringComparison.Ordinal);
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task RevealMatches_Terms_names_the_matched_terms()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new() { ["PromptPolicy:RevealMatches"] = "Terms" });

        var result = await Submit(host, """{"prompt":"a battlefield full of gore"}""");

        var problem = ProblemAssert.IsProblem(result, 422, ProblemTypes.PolicyViolation, "prompt");
        Assert.Equal("violence", problem.Extensions["category"]);
        var matches = (Dictionary<string, string>[])problem.Extensions["matches"]!;
        Assert.Contains(matches, m => m["term"] == "gore" && m["category"] == "violence");
        Assert.Contains("gore", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealMatches_None_says_only_that_the_prompt_is_blocked()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new() { ["PromptPolicy:RevealMatches"] = "None" });

        var result = await Submit(host, """{"prompt":"a battlefield full of gore"}""");

        var problem = ProblemAssert.IsProblem(result, 422, ProblemTypes.PolicyViolation, "prompt");
        Assert.Equal(["field"], problem.Extensions.Keys);
        Assert.DoesNotContain("gore", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("violence", problem.Detail, StringComparison.Ordinal);
        await host.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("""{"prompt":"a cat\u0000"}""", "prompt")]
    [InlineData("""{"prompt":"a \u001b[2Jcat"}""", "prompt")]
    [InlineData("""{"prompt":"a cat","negativePrompt":"x\u0085"}""", "negativePrompt")]
    [InlineData("""{"prompt":"a cat","callbackUrl":"https://example.com/\u0007"}""", "callbackUrl")]
    public async Task Control_characters_in_a_text_field_are_a_400_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await Submit(host, json);

        var problem = ProblemAssert.IsProblem(result, 400, ProblemTypes.Validation, field);
        Assert.Contains("control characters", problem.Detail, StringComparison.Ordinal);
        await host.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("https://localhost/hook")]
    [InlineData("https://127.0.0.1:8080/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    public async Task Callback_to_localhost_or_a_literal_private_address_is_a_400(string url)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await Submit(host, $$"""{"prompt":"a cat","callbackUrl":"{{url}}"}""");

        ProblemAssert.IsProblem(result, 400, ProblemTypes.Validation, "callbackUrl");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Blocked_term_only_in_the_negative_prompt_is_accepted()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await Submit(host, """{"prompt":"a calm meadow","negativePrompt":"gore, blood, nsfw"}""");

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value);
        Assert.Equal("gore, blood, nsfw", resource.Parameters.NegativePrompt);
        Assert.Single(await host.PeekGenerationMessagesAsync());
    }

    public static TheoryData<string, string, int, string, string> BadJsonBodies()
    {
        var png = Convert.ToBase64String(TestImages.Png(8, 8));
        var bigPixels = Convert.ToBase64String(TestImages.WithPngSize(TestImages.Png(8, 8), 1000, 1000)); // header says 10^6 px > 4096
        var oversized = Convert.ToBase64String([.. TestImages.Png(8, 8), .. new byte[6000]]); // > the 4096-byte test limit
        var gif = Convert.ToBase64String(TestImages.Gif());
        return new TheoryData<string, string, int, string, string>
        {
            { "malformed JSON", """{"prompt":"a cat",""", 400, ProblemTypes.MalformedBody, "body" },
            { "not an object", """["a cat"]""", 400, ProblemTypes.MalformedBody, "body" },
            { "unknown field", """{"prompt":"a cat","colour":"red"}""", 400, ProblemTypes.Validation, "colour" },
            { "wrong type", """{"prompt":"a cat","width":"512"}""", 400, ProblemTypes.Validation, "width" },
            { "fractional integer", """{"prompt":"a cat","steps":20.5}""", 400, ProblemTypes.Validation, "steps" },
            { "width out of range", """{"prompt":"a cat","width":4096}""", 400, ProblemTypes.Validation, "width" },
            { "height not a multiple of 8", """{"prompt":"a cat","height":500}""", 400, ProblemTypes.Validation, "height" },
            { "missing prompt", """{"width":512}""", 400, ProblemTypes.Validation, "prompt" },
            { "blank prompt", """{"prompt":"   "}""", 400, ProblemTypes.Validation, "prompt" },
            { "steps out of range", """{"prompt":"a cat","steps":0}""", 400, ProblemTypes.Validation, "steps" },
            { "guidance out of range", """{"prompt":"a cat","guidanceScale":31}""", 400, ProblemTypes.Validation, "guidanceScale" },
            { "negative seed", """{"prompt":"a cat","seed":-1}""", 400, ProblemTypes.Validation, "seed" },
            { "seed over 32 bits", """{"prompt":"a cat","seed":4294967296}""", 400, ProblemTypes.Validation, "seed" },
            { "unknown scheduler", """{"prompt":"a cat","scheduler":"heun"}""", 400, ProblemTypes.Validation, "scheduler" },
            { "too many images", """{"prompt":"a cat","count":5}""", 400, ProblemTypes.Validation, "count" },
            { "unknown mode", """{"prompt":"a cat","mode":"sketch"}""", 400, ProblemTypes.Validation, "mode" },
            { "img2img without initImage", """{"prompt":"a cat","mode":"img2img"}""", 400, ProblemTypes.Validation, "initImage" },
            { "inpaint without mask", $$"""{"prompt":"a cat","mode":"inpaint","initImage":"{{png}}"}""", 400, ProblemTypes.Validation, "mask" },
            { "strength out of range", $$"""{"prompt":"a cat","mode":"img2img","initImage":"{{png}}","strength":1.5}""", 400, ProblemTypes.Validation, "strength" },
            { "steps times strength leaves no step", $$"""{"prompt":"a cat","mode":"img2img","initImage":"{{png}}","steps":2,"strength":0.3}""", 400, ProblemTypes.Validation, "strength" },
            { "strength on txt2img", """{"prompt":"a cat","strength":0.5}""", 400, ProblemTypes.Validation, "strength" },
            { "bad base64", """{"prompt":"a cat","mode":"img2img","initImage":"not*base64!!"}""", 400, ProblemTypes.Validation, "initImage" },
            { "unsupported image type", $$"""{"prompt":"a cat","mode":"img2img","initImage":"{{gif}}"}""", 415, ProblemTypes.UnsupportedMediaType, "initImage" },
            { "oversized image", $$"""{"prompt":"a cat","mode":"img2img","initImage":"{{oversized}}"}""", 413, ProblemTypes.PayloadTooLarge, "initImage" },
            { "too many pixels", $$"""{"prompt":"a cat","mode":"img2img","initImage":"{{bigPixels}}"}""", 413, ProblemTypes.PayloadTooLarge, "initImage" },
            { "http callback", """{"prompt":"a cat","callbackUrl":"http://example.com/hook"}""", 400, ProblemTypes.Validation, "callbackUrl" },
            { "relative callback", """{"prompt":"a cat","callbackUrl":"/hook"}""", 400, ProblemTypes.Validation, "callbackUrl" },
            { "callback with user info", """{"prompt":"a cat","callbackUrl":"https://user:pw@example.com/hook"}""", 400, ProblemTypes.Validation, "callbackUrl" },
        };
    }

    [Theory]
    [MemberData(nameof(BadJsonBodies))]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_nothing_is_written(
        string reason, string body, int status, string type, string field)
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new()
        {
            ["DiffusionFunctions:Generation:MaxInputImageBytes"] = "4096",
            ["DiffusionFunctions:Generation:MaxInputImagePixels"] = "4096",
        });

        var result = await Submit(host, body, "key-" + Guid.NewGuid().ToString("N"));

        Assert.False(result is AcceptedResult, reason);
        ProblemAssert.IsProblem(result, status, type, field);
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Body_over_the_limit_is_a_413_before_reading_it()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Api:MaxRequestBytes"] = "2048" });
        var request = HttpRequestBuilder.Post(Path).WithJson("""{"prompt":"a cat"}""").WithDeclaredContentLength(5000).Build();

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        ProblemAssert.IsProblem(result, 413, ProblemTypes.PayloadTooLarge, "body");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Body_over_the_limit_without_content_length_is_a_413()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Api:MaxRequestBytes"] = "2048" });
        var body = JsonSerializer.SerializeToUtf8Bytes(new { prompt = new string('a', 3000) });
        var request = HttpRequestBuilder.Post(Path).WithBody(body, "application/json").Build();
        request.ContentLength = null;

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        ProblemAssert.IsProblem(result, 413, ProblemTypes.PayloadTooLarge, "body");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Unsupported_content_type_is_a_415()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path).WithBody("prompt=a cat"u8.ToArray(), "application/x-www-form-urlencoded").Build();

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        ProblemAssert.IsProblem(result, 415, ProblemTypes.UnsupportedMediaType, "Content-Type");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Multipart_with_an_unknown_part_or_without_the_request_part_is_a_400()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var unknown = HttpRequestBuilder.Post(Path).WithMultipart(content =>
        {
            HttpRequestBuilder.AddJsonPart(content, "request", """{"prompt":"a cat"}""");
            HttpRequestBuilder.AddFilePart(content, "thumbnail", TestImages.Png(8, 8), "image/png", "t.png");
        }).Build();
        var missing = HttpRequestBuilder.Post(Path).WithMultipart(content =>
            HttpRequestBuilder.AddFilePart(content, "initImage", TestImages.Png(8, 8), "image/png", "i.png")).Build();
        var imageInJson = HttpRequestBuilder.Post(Path).WithMultipart(content =>
            HttpRequestBuilder.AddJsonPart(content, "request", """{"prompt":"a cat","mode":"img2img","initImage":"AAAA"}""")).Build();
        var function = host.Create<SubmitGenerationFunction>();

        ProblemAssert.IsProblem(await function.SubmitGeneration(unknown, CancellationToken.None), 400, ProblemTypes.Validation, "thumbnail");
        ProblemAssert.IsProblem(await function.SubmitGeneration(missing, CancellationToken.None), 400, ProblemTypes.Validation, "request");
        ProblemAssert.IsProblem(await function.SubmitGeneration(imageInJson, CancellationToken.None), 400, ProblemTypes.Validation, "initImage");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Invalid_idempotency_key_is_a_400_naming_the_header()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await Submit(host, """{"prompt":"a cat"}""", "has a space");

        ProblemAssert.IsProblem(result, 400, ProblemTypes.Validation, "Idempotency-Key");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Failure_to_enqueue_undoes_the_job_the_image_and_the_idempotency_key()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        await host.Azurite.QueueService.GetQueueClient(host.Names.GenerationQueue).DeleteAsync();
        var body = $$"""{"prompt":"a mill","mode":"img2img","initImage":"{{Convert.ToBase64String(TestImages.Png(8, 8))}}"}""";

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Submit(host, body, "key-undo"));

        Assert.Equal(404, error.Status);
        Assert.Empty(await host.ListBlobsAsync(host.JobsContainer));
        Assert.Empty(await host.ListBlobsAsync(host.InputsContainer));

        // With the queue back, the same key works again: the failed attempt left nothing behind.
        await host.Azurite.QueueService.GetQueueClient(host.Names.GenerationQueue).CreateAsync();
        Assert.IsType<AcceptedResult>(await Submit(host, body, "key-undo"));
        Assert.Single(await host.PeekGenerationMessagesAsync());
    }

    [Fact]
    public async Task Key_whose_first_request_never_stored_its_job_is_a_409_in_progress_with_retry_after()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        const string Json = """{"prompt":"a slow start","seed":5}""";
        var hash = GenerationRequestHasher.Compute(new GenerationRequest { Prompt = "a slow start", Seed = 5 }, null, null);
        await host.Services.GetRequiredService<IdempotencyKeyStore>()
            .TryClaimAsync(new IdempotencyRecord("key-stuck", JobIds.New(), hash, DateTimeOffset.UtcNow));
        var request = HttpRequestBuilder.Post(Path).WithHeader("Idempotency-Key", "key-stuck").WithJson(Json).Build();

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        ProblemAssert.IsProblem(result, 409, ProblemTypes.IdempotencyInProgress, "Idempotency-Key");
        Assert.Equal("2", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Empty(await host.PeekGenerationMessagesAsync());
    }

    private static Task<IActionResult> Submit(ApiTestHost host, string json, string? idempotencyKey = null)
    {
        var builder = HttpRequestBuilder.Post(Path).WithJson(json);
        if (idempotencyKey is not null)
        {
            builder.WithHeader("Idempotency-Key", idempotencyKey);
        }

        return host.Create<SubmitGenerationFunction>().SubmitGeneration(builder.Build(), CancellationToken.None);
    }
}
