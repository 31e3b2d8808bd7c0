using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace DiffusionFunctions.Api.Submission;

/// <summary>
/// Reads the RFC 7240 <c>Prefer: wait=N</c> preference: how many seconds the client is willing to hold the request
/// for the job to finish. Other preferences (<c>respond-async</c>, unknown tokens) are ignored, as RFC 7240 asks;
/// a malformed or negative value is ignored too (a preference is a hint, never an error). <c>respond-async</c>
/// beside <c>wait</c> means the client wants the 202 at once.
/// </summary>
public static class PreferWait
{
    /// <summary>The request header.</summary>
    public const string PreferHeader = "Prefer";

    /// <summary>The response header that says which preference was honoured.</summary>
    public const string PreferenceAppliedHeader = "Preference-Applied";

    /// <summary>The seconds to wait, capped at <paramref name="maxSeconds"/>; zero when the client did not ask to wait.</summary>
    public static int Read(IHeaderDictionary headers, int maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.TryGetValue(PreferHeader, out var values))
        {
            return 0;
        }

        var wait = 0;
        foreach (var header in values)
        {
            foreach (var preference in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = preference.Split(';', 2)[0].Trim();
                if (token.Equals("respond-async", StringComparison.OrdinalIgnoreCase))
                {
                    return 0;
                }

                var parts = token.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0].Equals("wait", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(parts[1].Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    wait = seconds;
                }
            }
        }

        return Math.Clamp(wait, 0, Math.Max(0, maxSeconds));
    }
}
