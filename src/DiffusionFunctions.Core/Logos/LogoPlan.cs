using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Logos;

/// <summary>One logo of a run: its index and the parameters of the ordinary generation job that draws it.</summary>
/// <param name="Index">0-based position in the run (<c>logos/{brief name}/{index}.png</c>).</param>
/// <param name="Parameters">Resolved job parameters (seed set; no callback: the run has one completion event).</param>
public sealed record LogoPlanItem(int Index, GenerationParameters Parameters);

/// <summary>The outcome of <see cref="LogoBriefValidator.Plan"/>: the logos to make, or why the brief is refused.</summary>
/// <param name="Items">The logos, when accepted.</param>
/// <param name="CallbackUrl">The brief's checked callback URL, if any.</param>
/// <param name="Rejection">The refusal, when refused.</param>
public sealed record LogoPlan(IReadOnlyList<LogoPlanItem> Items, string? CallbackUrl, LogoRejection? Rejection)
{
    /// <summary>True when the brief was accepted.</summary>
    public bool IsAccepted => Rejection is null;

    /// <summary>A refused brief.</summary>
    public static LogoPlan Refused(LogoRejection rejection) => new([], null, rejection);
}
