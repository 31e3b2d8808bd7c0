using System.Text;
using DiffusionFunctions.Worker.Webhooks;

namespace DiffusionFunctions.Worker.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The published Standard Webhooks test vector (https://www.standardwebhooks.com; the reference libraries' tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_reproduces_the_standard_webhooks_test_vector()
    {
        var signature = WebhookSignature.Sign(WebhookSecret.Parse(VectorSecret), VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody));

        Assert.Equal(VectorSignature, signature);
    }

    [Fact]
    public void Verify_accepts_the_vector_among_several_signatures_within_tolerance()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp + 120);

        Assert.True(WebhookSignature.Verify(
            WebhookSecret.Parse(VectorSecret), VectorId, "1614265330", "v1,bm9wZQ== " + VectorSignature,
            Encoding.UTF8.GetBytes(VectorBody), now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(VectorId, "1614265330", """{"test": 2432232315}""", 0)] // body changed
    [InlineData("msg_other", "1614265330", VectorBody, 0)] // id changed
    [InlineData(VectorId, "1614265331", VectorBody, 0)] // timestamp changed
    [InlineData(VectorId, "1614265330", VectorBody, 301)] // too old
    [InlineData(VectorId, "not-a-number", VectorBody, 0)]
    public void Verify_refuses_tampered_or_stale_deliveries(string id, string timestamp, string body, int secondsLater)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp + secondsLater);

        Assert.False(WebhookSignature.Verify(
            WebhookSecret.Parse(VectorSecret), id, timestamp, VectorSignature, Encoding.UTF8.GetBytes(body), now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with 'whsec_'")]
    [InlineData("whsec_not base64!", "not valid base64")]
    [InlineData("whsec_AAAA", "24 to 64 bytes, not 3")]
    public void Parse_rejects_malformed_secrets_with_the_reason(string text, string reason)
    {
        Assert.False(WebhookSecret.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_secrets_parse_to_32_byte_keys()
    {
        var text = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", text, StringComparison.Ordinal);
        Assert.Equal(32, WebhookSecret.Parse(text).Key.Length);
    }
}
