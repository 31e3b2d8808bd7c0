using System.Text.RegularExpressions;

namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// The web UI's <c>AND</c> (composable diffusion: several prompts combined in the guidance step), which the engine does not
/// implement: the word <c>AND</c> in capitals, as a whole word, anywhere in the prompt. Requests using it are refused at
/// validation rather than have the word encoded as text. The engine applies the same rule
/// (<c>DiffusionFunctions.Diffusion.Prompting.ComposableDiffusionSyntax</c>); Core does not reference the engine, so the
/// one-line pattern lives in both.
/// </summary>
public static partial class ComposablePromptSyntax
{
    /// <summary>Whether <paramref name="prompt"/> uses <c>AND</c>.</summary>
    public static bool IsUsedIn(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return AndKeyword().IsMatch(prompt);
    }

    [GeneratedRegex(@"\bAND\b", RegexOptions.CultureInvariant)]
    private static partial Regex AndKeyword();
}
