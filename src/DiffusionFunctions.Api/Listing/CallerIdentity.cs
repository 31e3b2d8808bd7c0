using Microsoft.AspNetCore.Http;

namespace DiffusionFunctions.Api.Listing;

/// <summary>
/// Who "the caller" is for <c>GET /api/generations</c>: the value of the client-chosen <c>X-Client-Id</c> header, or, when
/// the request has none, the shared anonymous caller (every request without the header lists the same jobs). It groups jobs;
/// it is not authentication: anyone holding a function key who sends the same id sees the same list.
/// </summary>
public static class CallerIdentity
{
    /// <summary>The request header naming the caller.</summary>
    public const string Header = "X-Client-Id";

    /// <summary>Longest accepted id.</summary>
    public const int MaxLength = 128;

    /// <summary>The caller of requests without the header.</summary>
    public const string Anonymous = "";

    /// <summary>Reads the caller, or false with a message when the header is repeated, empty, too long or not printable ASCII without spaces.</summary>
    public static bool TryRead(HttpRequest request, out string caller, out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        caller = Anonymous;
        error = null;
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return true;
        }

        var value = values.ToString();
        if (values.Count != 1 || value.Length is 0 or > MaxLength || value.Any(c => c is <= ' ' or > '~'))
        {
            error = $"{Header} must be one value of 1-{MaxLength} printable ASCII characters without spaces.";
            return false;
        }

        caller = value;
        return true;
    }
}
