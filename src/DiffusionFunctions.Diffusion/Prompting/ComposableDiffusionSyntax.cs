using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// The web UI's <c>AND</c> (composable diffusion: several prompts, each with an optional <c>:weight</c>, combined in the
/// guidance step), which the engine does not implement. A prompt using it is refused, never encoded as text: the word
/// <c>AND</c> in capitals, as a whole word, anywhere in the prompt, as the web UI splits it. The negative prompt is not
/// split by the web UI either, so there <c>AND</c> stays text.
/// </summary>
public static partial class ComposableDiffusionSyntax
{
    /// <summary>Why a prompt with <c>AND</c> is refused; validation errors carry this text.</summary>
    public const string RefusalMessage =
        "uses AND (composable diffusion: several prompts combined in the guidance step), which is not supported; " +
        "write one prompt, or 'and' in lower case for the word.";

    /// <summary>Whether <paramref name="prompt"/> uses <c>AND</c>.</summary>
    public static bool IsUsedIn(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return AndKeyword().IsMatch(prompt);
    }

    [GeneratedRegex(@"\bAND\b", RegexOptions.CultureInvariant)]
    private static partial Regex AndKeyword();
}
