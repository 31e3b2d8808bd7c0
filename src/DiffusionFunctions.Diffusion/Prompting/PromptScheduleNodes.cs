using System.Globalization;
using System.Text;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>A node of a parsed prompt: renders its text at a sampling step and names the steps at which it changes.</summary>
internal abstract class PromptScheduleNode
{
    /// <summary>Appends this node's text at <paramref name="step"/> (1-based, of <paramref name="steps"/>).</summary>
    public abstract void Render(int step, int steps, StringBuilder text);

    /// <summary>Adds the steps after which this node's text changes.</summary>
    public abstract void CollectSteps(int steps, ISet<int> changes);
}

/// <summary>Text kept as written (emphasis brackets and escapes included: the attention parser reads them later).</summary>
internal sealed class PlainNode(string text) : PromptScheduleNode
{
    public override void Render(int step, int steps, StringBuilder output) => output.Append(text);

    public override void CollectSteps(int steps, ISet<int> changes)
    {
    }
}

/// <summary>A sequence of nodes.</summary>
internal sealed class SequenceNode(IReadOnlyList<PromptScheduleNode> items) : PromptScheduleNode
{
    public override void Render(int step, int steps, StringBuilder text)
    {
        foreach (var item in items)
        {
            item.Render(step, steps, text);
        }
    }

    public override void CollectSteps(int steps, ISet<int> changes)
    {
        foreach (var item in items)
        {
            item.CollectSteps(steps, changes);
        }
    }
}

/// <summary>
/// Prompt editing <c>[before:after:when]</c> (<c>[after:when]</c> adds, <c>[before::when]</c> removes): <c>before</c> up to and
/// including step <c>when</c>, then <c>after</c>. A <c>when</c> written with a decimal point is a fraction of the steps
/// (truncated), one without is a step number; both are capped at the step count.
/// </summary>
internal sealed class ScheduledNode(PromptScheduleNode? before, PromptScheduleNode after, string when) : PromptScheduleNode
{
    public int When(int steps)
    {
        var value = double.Parse(when, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (when.Contains('.', StringComparison.Ordinal))
        {
            value *= steps;
        }

        return (int)Math.Min(steps, Math.Truncate(value));
    }

    public override void Render(int step, int steps, StringBuilder text) =>
        (step <= When(steps) ? before : after)?.Render(step, steps, text);

    public override void CollectSteps(int steps, ISet<int> changes)
    {
        var when1 = When(steps);
        if (when1 >= 1)
        {
            changes.Add(when1);
        }

        before?.CollectSteps(steps, changes);
        after.CollectSteps(steps, changes);
    }
}

/// <summary>Alternation <c>[a|b|c]</c>: option <c>(step − 1) mod n</c> at each step.</summary>
internal sealed class AlternateNode(IReadOnlyList<PromptScheduleNode> options) : PromptScheduleNode
{
    public override void Render(int step, int steps, StringBuilder text) => options[(step - 1) % options.Count].Render(step, steps, text);

    public override void CollectSteps(int steps, ISet<int> changes)
    {
        for (var s = 1; s <= steps; s++)
        {
            changes.Add(s);
        }

        foreach (var option in options)
        {
            option.CollectSteps(steps, changes);
        }
    }
}
