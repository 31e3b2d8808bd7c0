using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DiffusionFunctions.TestSupport;

/// <summary>
/// Builds real ASP.NET Core <see cref="HttpRequest"/>s (on a <see cref="DefaultHttpContext"/>) for calling HTTP
/// function classes directly: method, path, headers, route values and a body stream (JSON, multipart or raw bytes).
/// The response body is a <see cref="MemoryStream"/> so tests can read what was written.
/// </summary>
public sealed class HttpRequestBuilder
{
    private readonly string _method;
    private readonly string _path;
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, object?> _routeValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _query = new(StringComparer.Ordinal);
    private byte[]? _body;
    private string? _contentType;
    private long? _contentLengthOverride;

    private HttpRequestBuilder(string method, string path)
    {
        _method = method;
        _path = path;
    }

    /// <summary>A GET request to <paramref name="path"/> (for example <c>/api/generations/abc</c>).</summary>
    public static HttpRequestBuilder Get(string path) => new(HttpMethods.Get, path);

    /// <summary>A POST request to <paramref name="path"/>.</summary>
    public static HttpRequestBuilder Post(string path) => new(HttpMethods.Post, path);

    /// <summary>A DELETE request to <paramref name="path"/>.</summary>
    public static HttpRequestBuilder Delete(string path) => new(HttpMethods.Delete, path);

    /// <summary>Sets a request header.</summary>
    public HttpRequestBuilder WithHeader(string name, string value)
    {
        _headers[name] = value;
        return this;
    }

    /// <summary>Sets a route value (as the Functions host would for <c>{id}</c>).</summary>
    public HttpRequestBuilder WithRouteValue(string name, object? value)
    {
        _routeValues[name] = value;
        return this;
    }

    /// <summary>Adds a query-string parameter.</summary>
    public HttpRequestBuilder WithQuery(string name, string value)
    {
        _query[name] = value;
        return this;
    }

    /// <summary>A UTF-8 JSON body (the text is sent exactly as given, malformed or not).</summary>
    public HttpRequestBuilder WithJson(string json) => WithBody(Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>A raw body with a content type (null for none).</summary>
    public HttpRequestBuilder WithBody(byte[] body, string? contentType)
    {
        _body = body;
        _contentType = contentType;
        return this;
    }

    /// <summary>Declares a <c>Content-Length</c> different from the body's real length (to test limits cheaply).</summary>
    public HttpRequestBuilder WithDeclaredContentLength(long length)
    {
        _contentLengthOverride = length;
        return this;
    }

    /// <summary>A <c>multipart/form-data</c> body built by <see cref="MultipartFormDataContent"/>.</summary>
    public HttpRequestBuilder WithMultipart(Action<MultipartFormDataContent> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var content = new MultipartFormDataContent("df-test-boundary-" + Guid.NewGuid().ToString("N"));
        build(content);
        _body = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        _contentType = content.Headers.ContentType!.ToString();
        return this;
    }

    /// <summary>Adds a JSON part named <paramref name="name"/> to multipart content.</summary>
    public static void AddJsonPart(MultipartFormDataContent content, string name, string json)
    {
        ArgumentNullException.ThrowIfNull(content);
        var part = new StringContent(json, Encoding.UTF8);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, name);
    }

    /// <summary>Adds a file part named <paramref name="name"/> to multipart content.</summary>
    public static void AddFilePart(MultipartFormDataContent content, string name, byte[] bytes, string contentType, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Add(part, name, fileName);
    }

    /// <summary>Builds the request.</summary>
    public HttpRequest Build()
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = _method;
        request.Scheme = "https";
        request.Host = new HostString("localhost", 7071);
        request.Path = _path;
        if (_query.Count > 0)
        {
            request.QueryString = QueryString.Create(_query);
        }

        foreach (var (name, value) in _headers)
        {
            request.Headers[name] = value;
        }

        foreach (var (name, value) in _routeValues)
        {
            request.RouteValues[name] = value;
        }

        var body = _body ?? [];
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = _contentLengthOverride ?? (_body is null ? null : body.Length);
        if (_contentType is not null)
        {
            request.ContentType = _contentType;
        }

        context.Response.Body = new MemoryStream();
        return request;
    }
}
