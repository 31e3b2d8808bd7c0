namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The CORS setting of the local host (<c>DiffusionFunctions:Api:AllowedOrigins</c>, <c>--allowed-origins</c>): an allowed
/// origin gets the preflight and the Location header exposed; any other origin gets no CORS headers.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class CorsTests(ServeFixture fixture)
{
    [Fact]
    public async Task An_allowed_origin_passes_the_preflight_and_others_do_not()
    {
        using var http = new HttpClient { BaseAddress = fixture.Serve.Origin };

        using var allowed = await PreflightAsync(http, ServeFixture.ForeignOrigin);
        Assert.True(allowed.IsSuccessStatusCode, $"preflight answered {(int)allowed.StatusCode}");
        Assert.Equal(ServeFixture.ForeignOrigin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));

        using var other = await PreflightAsync(http, "http://elsewhere.example.test");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "api/health");
        get.Headers.Add("Origin", ServeFixture.ForeignOrigin);
        using var health = await http.SendAsync(get);
        Assert.Equal(ServeFixture.ForeignOrigin, Assert.Single(health.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("Location", string.Join(',', health.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/generations");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-functions-key");
        return await http.SendAsync(request);
    }
}
