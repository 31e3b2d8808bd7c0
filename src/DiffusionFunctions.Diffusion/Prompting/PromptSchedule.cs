using System.Text;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>One prompt text and the last sampling step it applies to.</summary>
/// <param name="EndAtStep">The last step (1-based, of the schedule's step count) the text applies to.</param>
/// <param name="Text">The prompt text for those steps, emphasis syntax still in it.</param>
public sealed record PromptScheduleEntry(int EndAtStep, string Text);

/// <summary>
/// A prompt's texts over the sampling steps, from the web UI's prompt editing <c>[from:to:when]</c>, <c>[to:when]</c>,
/// <c>[from::when]</c> and alternation <c>[a|b]</c>, scheduled as the web UI does (its
/// <c>get_learned_conditioning_prompt_schedules</c>, as its wiki describes it): one entry per step at which some part of the
/// prompt changes, each holding the text up to and including that step. A sampler's step <c>k</c> (0-based, counted from the
/// first step that runs) uses the first entry with <c>k ≤ EndAtStep</c>, so <c>[cat:dog:10]</c> over 20 steps gives "cat" for
/// steps 0-10 and "dog" for 11-19, as in the web UI. A prompt without such syntax has one entry.
/// </summary>
public sealed partial class PromptSchedule
{
    private PromptSchedule(IReadOnlyList<PromptScheduleEntry> entries, IReadOnlyList<string> warnings)
    {
        Entries = entries;
        Warnings = warnings;
    }

    /// <summary>The texts in step order; never empty.</summary>
    public IReadOnlyList<PromptScheduleEntry> Entries { get; }

    /// <summary>What of the prompt the engine could not honour (web UI syntax it does not support), in words for the job.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The distinct texts, in order of first use.</summary>
    public IReadOnlyList<string> DistinctTexts => [.. Entries.Select(e => e.Text).Distinct(StringComparer.Ordinal)];

    /// <summary>Schedules <paramref name="prompt"/> over <paramref name="steps"/> sampling steps.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="steps">The step count the schedule is laid over (the request's steps, as the web UI uses, also for img2img).</param>
    /// <param name="promptName">How warnings name the prompt ("prompt", "negative prompt").</param>
    public static PromptSchedule Create(string prompt, int steps, string promptName = "prompt")
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var warnings = new List<string>();
        var tags = ExtraNetworkTag().Matches(prompt);
        if (tags.Count > 0)
        {
            prompt = ExtraNetworkTag().Replace(prompt, "");
            warnings.Add($"The {promptName} names web UI extra networks ({string.Join(", ", tags.Select(t => t.Value))}); the engine has none, so they were removed from the text.");
        }

        var root = PromptScheduleParser.TryParse(prompt);
        if (root is null)
        {
            if (LooksScheduled().IsMatch(prompt))
            {
                warnings.Add($"The {promptName}'s [ ] prompt-editing or alternation syntax could not be read (for example a ':' or '|' outside brackets, or an unclosed bracket), so the whole {promptName} is used as written, as the web UI does.");
            }

            return new PromptSchedule([new PromptScheduleEntry(steps, prompt)], warnings);
        }

        var changes = new SortedSet<int> { steps };
        root.CollectSteps(steps, changes);
        var entries = new List<PromptScheduleEntry>();
        foreach (var step in changes)
        {
            var text = new StringBuilder();
            root.Render(step, steps, text);
            entries.Add(new PromptScheduleEntry(step, text.ToString()));
        }

        return new PromptSchedule(entries, warnings);
    }

    /// <summary>The entry index for sampling step <paramref name="stepIndex"/> (0-based): the first entry that has not ended.</summary>
    public int EntryIndexAt(int stepIndex)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (stepIndex <= Entries[i].EndAtStep)
            {
                return i;
            }
        }

        return Entries.Count - 1;
    }

    /// <summary>The text for sampling step <paramref name="stepIndex"/> (0-based).</summary>
    public string TextAt(int stepIndex) => Entries[EntryIndexAt(stepIndex)].Text;

    // The web UI's extra-network tags: <lora:name:0.8>, <hypernet:name:1>.
    [GeneratedRegex(@"<(\w+):([^>]+)>", RegexOptions.CultureInvariant)]
    private static partial Regex ExtraNetworkTag();

    // An opening square bracket followed by a ':' or '|' before it closes: what a prompt-editing or alternation attempt looks like.
    [GeneratedRegex(@"\[[^\]]*[:|]", RegexOptions.CultureInvariant)]
    private static partial Regex LooksScheduled();
}
