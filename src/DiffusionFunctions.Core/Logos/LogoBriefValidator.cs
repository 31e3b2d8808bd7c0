using System.Globalization;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Policy;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// Checks a <see cref="LogoBrief"/> and turns it into one generation request per logo. The brief's own fields (brand,
/// colours, count, ...) are checked here; every free-text field (brand, tagline, style, shapes, motifs) and every
/// rendered prompt goes through the same <see cref="IPromptPolicy"/> as <c>POST /api/generations</c>; and each logo's
/// request goes through the same <see cref="GenerationRequestValidator"/>, so sizes, steps, guidance, seed, scheduler,
/// strength, negative prompt and <c>callbackUrl</c> follow exactly the API's rules and messages.
/// </summary>
public sealed class LogoBriefValidator(
    GenerationRequestValidator requests,
    IPromptPolicy policy,
    IOptions<LogoOptions> options,
    IOptions<PromptPolicyOptions> policyOptions)
{
    /// <summary>The longest brand name.</summary>
    public const int MaxBrandLength = 100;

    /// <summary>The longest tagline, style, shape or motif.</summary>
    public const int MaxPhraseLength = 200;

    private readonly LogoOptions _options = options.Value;

    /// <summary>
    /// Plans the logos of <paramref name="brief"/>. <paramref name="isSketch"/>: the upload is a sketch, so every logo is
    /// img2img from it. <paramref name="defaultSeed"/>: the first logo's seed when the brief gives none (derived from the
    /// upload, so every delivery plans the same seeds).
    /// </summary>
    public LogoPlan Plan(LogoBrief brief, LogoPromptTemplate template, bool isSketch, long defaultSeed)
    {
        ArgumentNullException.ThrowIfNull(brief);
        ArgumentNullException.ThrowIfNull(template);
        var errors = new ValidationErrors();
        CheckText(errors, "brand", brief.Brand, MaxBrandLength, required: true);
        CheckText(errors, "tagline", brief.Tagline, MaxPhraseLength, required: false);
        CheckText(errors, "style", brief.Style, MaxPhraseLength, required: false);
        if (!isSketch && brief.Colors is not { Count: > 0 })
        {
            errors.Add("colors", "colors is required for a JSON brief: a list of at least one colour (with two or more, the last is the background).");
        }

        foreach (var (field, list) in new[] { ("colors", brief.Colors), ("shapes", brief.Shapes), ("motifs", brief.Motifs) })
        {
            foreach (var entry in list ?? [])
            {
                CheckText(errors, field, entry, MaxPhraseLength, required: true);
            }
        }

        var count = brief.Count ?? _options.DefaultCount;
        if (count < 1 || count > _options.MaxCount)
        {
            errors.Add("count", $"count must be between 1 and {_options.MaxCount}, got {count}.");
        }

        if (!isSketch && brief.Strength is not null)
        {
            errors.Add("strength", "strength applies only to sketch uploads (img2img); a JSON brief makes logos from text.");
        }

        if (!errors.IsEmpty)
        {
            return LogoPlan.Refused(LogoRejection.Validation(errors));
        }

        foreach (var (field, text) in FreeText(brief))
        {
            var verdict = policy.Evaluate(text);
            if (verdict.IsBlocked)
            {
                return LogoPlan.Refused(LogoRejection.PolicyViolation(field, verdict, policyOptions.Value.RevealMatches));
            }
        }

        var items = new List<LogoPlanItem>(count);
        for (var index = 0; index < count; index++)
        {
            var prompt = template.Render(brief, index);
            var request = new GenerationRequest
            {
                Prompt = prompt,
                NegativePrompt = brief.NegativePrompt ?? (string.IsNullOrWhiteSpace(template.NegativePrompt) ? null : template.NegativePrompt),
                Width = brief.Width,
                Height = brief.Height,
                Steps = brief.Steps,
                GuidanceScale = brief.GuidanceScale,
                Seed = SeedFor(brief.Seed, defaultSeed, index),
                Scheduler = brief.Scheduler,
                Count = 1,
                Mode = isSketch ? "img2img" : null,
                Strength = isSketch ? brief.Strength ?? _options.SketchStrength : null,
                CallbackUrl = brief.CallbackUrl,
            };
            var validation = requests.Validate(request, hasInitImage: isSketch, hasMask: false);
            if (!validation.IsValid)
            {
                return LogoPlan.Refused(LogoRejection.Validation(validation.Errors));
            }

            var verdict = policy.Evaluate(prompt);
            if (verdict.IsBlocked)
            {
                return LogoPlan.Refused(LogoRejection.PolicyViolation("prompt", verdict, policyOptions.Value.RevealMatches));
            }

            // The run, not each logo, reports to the callback: one completion event for the whole brief.
            items.Add(new LogoPlanItem(index, validation.Parameters! with { CallbackUrl = null }));
        }

        return new LogoPlan(items, brief.CallbackUrl, null);
    }

    /// <summary>Logo <paramref name="index"/>'s seed: the brief's (or the default) plus the index, wrapping at 2^32; an out-of-range brief seed is passed on for the validator to name.</summary>
    private static long SeedFor(long? briefSeed, long defaultSeed, int index)
    {
        if (briefSeed is { } given && (given < 0 || given > GenerationRequestValidator.MaxSeed))
        {
            return given;
        }

        return ((briefSeed ?? defaultSeed) + index) % (GenerationRequestValidator.MaxSeed + 1);
    }

    private static IEnumerable<(string Field, string Text)> FreeText(LogoBrief brief)
    {
        yield return ("brand", brief.Brand!);
        if (brief.Tagline is { Length: > 0 } tagline)
        {
            yield return ("tagline", tagline);
        }

        if (brief.Style is { Length: > 0 } style)
        {
            yield return ("style", style);
        }

        foreach (var (field, list) in new[] { ("colors", brief.Colors), ("shapes", brief.Shapes), ("motifs", brief.Motifs) })
        {
            foreach (var entry in list ?? [])
            {
                yield return (field, entry);
            }
        }
    }

    private static void CheckText(ValidationErrors errors, string field, string? value, int maxLength, bool required)
    {
        if (value is null || value.Trim().Length == 0)
        {
            if (required || value is not null)
            {
                errors.Add(field, $"{field} must not be blank.");
            }

            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"{field} must be at most {maxLength} characters, got {value.Length}."));
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]) && value[i] is not ('\t' or '\n' or '\r'))
            {
                errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"{field} must not contain control characters; found U+{(int)value[i]:X4} at position {i}."));
                return;
            }
        }
    }
}
