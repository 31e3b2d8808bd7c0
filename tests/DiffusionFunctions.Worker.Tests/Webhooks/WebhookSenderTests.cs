using System.Net;
using System.Text.Json;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Worker.Events;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Tests.Webhooks;

/// <summary>The webhook sender against a real HTTP listener on 127.0.0.1.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private RecordingHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Delivers_a_signed_cloudevent_that_verifies_like_a_receiver_would()
    {
        using var sender = CreateSender(allowPrivate: true);
        var job = TestJobs.Succeeded();
        var cloudEvent = GenerationCloudEvents.Create(job, name => new Uri("http://127.0.0.1:10000/devstoreaccount1/results/" + name));

        var result = await sender.SendAsync(new Uri(_server.BaseAddress, "hooks/generation"), cloudEvent, CancellationToken.None);

        Assert.Equal(WebhookDeliveryResult.Delivered, result);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/generation", request.PathAndQuery);
        Assert.Equal("application/cloudevents+json; charset=utf-8", request.Headers["content-type"]);
        Assert.Equal(job.Id + "-succeeded", request.Headers[WebhookSignature.IdHeader]);
        Assert.True(WebhookSignature.Verify(
            WebhookSecret.Parse(Secret), request.Headers[WebhookSignature.IdHeader], request.Headers[WebhookSignature.TimestampHeader],
            request.Headers[WebhookSignature.SignatureHeader], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("1.0", json.RootElement.GetProperty("specversion").GetString());
        Assert.Equal(GenerationEventTypes.Succeeded, json.RootElement.GetProperty("type").GetString());
        Assert.Equal("generations/" + job.Id, json.RootElement.GetProperty("subject").GetString());
        Assert.Equal(job.Id, json.RootElement.GetProperty("data").GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task Retries_5xx_with_the_same_id_and_fresh_signatures_then_succeeds()
    {
        _server.RespondWith(503, 500);
        using var sender = CreateSender(allowPrivate: true);
        var cloudEvent = GenerationCloudEvents.Create(TestJobs.Succeeded(), name => new Uri("http://example.invalid/" + name));

        var result = await sender.SendAsync(new Uri(_server.BaseAddress, "hook"), cloudEvent, CancellationToken.None);

        Assert.Equal(WebhookDeliveryResult.Delivered, result);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Single(_server.Requests.Select(r => r.Headers[WebhookSignature.IdHeader]).Distinct());
    }

    [Fact]
    public async Task Gives_up_at_once_on_a_4xx_other_than_408_and_429()
    {
        _server.RespondWith(400);
        using var sender = CreateSender(allowPrivate: true);
        var cloudEvent = GenerationCloudEvents.Create(TestJobs.Succeeded(), name => new Uri("http://example.invalid/" + name));

        var result = await sender.SendAsync(new Uri(_server.BaseAddress, "hook"), cloudEvent, CancellationToken.None);

        Assert.Equal(WebhookDeliveryResult.Failed, result);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")] // a name that resolves to loopback
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("[::1]")]
    public async Task Refuses_private_and_loopback_callbacks_when_the_option_is_off(string host)
    {
        using var sender = CreateSender(allowPrivate: false);
        var cloudEvent = GenerationCloudEvents.Create(TestJobs.Succeeded(), name => new Uri("http://example.invalid/" + name));
        var url = new Uri($"http://{host}:{_server.BaseAddress.Port}/hook");

        var result = await sender.SendAsync(url, cloudEvent, CancellationToken.None);

        Assert.Equal(WebhookDeliveryResult.Refused, result);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task The_guard_refuses_a_name_resolving_to_loopback_at_connect_time()
    {
        var refusal = await Assert.ThrowsAsync<CallbackAddressRefusedException>(async () =>
            await GuardedConnectCallback.ConnectAsync(new DnsEndPoint("localhost", _server.BaseAddress.Port), allowPrivateAddresses: false, CancellationToken.None));

        Assert.Contains("'localhost' resolves to", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_nothing_without_a_configured_secret()
    {
        using var sender = new WebhookSender(
            Options.Create(new GenerationEventOptions { AllowPrivateCallbackAddresses = true }), TimeProvider.System, NullLogger<WebhookSender>.Instance);
        var cloudEvent = GenerationCloudEvents.Create(TestJobs.Succeeded(), name => new Uri("http://example.invalid/" + name));

        var result = await sender.SendAsync(new Uri(_server.BaseAddress, "hook"), cloudEvent, CancellationToken.None);

        Assert.Equal(WebhookDeliveryResult.NotConfigured, result);
        Assert.Empty(_server.Requests);
    }

    private static WebhookSender CreateSender(bool allowPrivate) => new(
        Options.Create(new GenerationEventOptions
        {
            WebhookSecret = Secret,
            AllowPrivateCallbackAddresses = allowPrivate,
            WebhookInitialBackoff = TimeSpan.FromMilliseconds(10),
            WebhookMaxAttempts = 4,
        }),
        TimeProvider.System,
        NullLogger<WebhookSender>.Instance);
}
