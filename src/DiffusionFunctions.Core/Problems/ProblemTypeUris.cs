namespace DiffusionFunctions.Core.Problems;

/// <summary>
/// The RFC 7807 <c>type</c> URIs of the request problems that Core itself reports (a refused workflow item, a refused
/// brief); the API's <c>ProblemTypes</c> uses the same constants, so an HTTP answer and a workflow item say the same thing.
/// </summary>
public static class ProblemTypeUris
{
    /// <summary>The base all problem types share.</summary>
    public const string Base = "https://diffusionfunctions.dev/problems/";

    /// <summary>Fields are missing, unknown, of the wrong type or out of range (see <c>errors</c>).</summary>
    public const string Validation = Base + "validation";

    /// <summary>The body (or a JSONL line) is not a JSON object.</summary>
    public const string MalformedBody = Base + "malformed-body";

    /// <summary>The prompt contains blocked terms.</summary>
    public const string PolicyViolation = Base + "policy-violation";
}
