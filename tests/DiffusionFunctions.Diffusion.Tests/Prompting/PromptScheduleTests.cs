using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Tests.Prompting;

public sealed class PromptScheduleTests
{
    // Expected schedules: the prompt-editing and alternation examples of the web UI's wiki ("Features": prompt editing,
    // alternating words), with its step arithmetic: a 'when' with a decimal point is a fraction of the steps, truncated.
    public static TheoryData<string, int, (int, string)[]> WebUiSchedules() => new()
    {
        { "a [cat:dog:0.5] on a mat", 20, [(10, "a cat on a mat"), (20, "a dog on a mat")] },
        { "a [cat:dog:10] on a mat", 20, [(10, "a cat on a mat"), (20, "a dog on a mat")] },
        { "a [cat::0.5]", 20, [(10, "a cat"), (20, "a ")] },
        { "a [cat:0.5]", 20, [(10, "a "), (20, "a cat")] },
        { "[a:b:0.33]", 10, [(3, "a"), (10, "b")] },
        { "[a:b:30]", 20, [(20, "a")] },
        { "[a:b:0]", 20, [(20, "b")] },
        { "[a:b: 5 ]", 20, [(5, "a"), (20, "b")] },
        { "[red|blue] ball", 4, [(1, "red ball"), (2, "blue ball"), (3, "red ball"), (4, "blue ball")] },
        { "[a|b|]", 3, [(1, "a"), (2, "b"), (3, "")] },
        { "[(cat:1.2):[dog|fox]:2] \\[x\\]", 4, [(1, "(cat:1.2) \\[x\\]"), (2, "(cat:1.2) \\[x\\]"), (3, "dog \\[x\\]"), (4, "fox \\[x\\]")] },
        { "[[small:large:0.5] cat:dog:0.75]", 8, [(4, "small cat"), (6, "large cat"), (8, "dog")] },
        { "a (photo) of a [cat]", 20, [(20, "a (photo) of a [cat]")] },
    };

    [Theory]
    [MemberData(nameof(WebUiSchedules))]
    public void Schedules_like_the_web_ui(string prompt, int steps, (int, string)[] expected)
    {
        var schedule = PromptSchedule.Create(prompt, steps);

        Assert.Equal(expected.Select(e => new PromptScheduleEntry(e.Item1, e.Item2)), schedule.Entries);
        Assert.Empty(schedule.Warnings);
    }

    [Fact]
    public void Sampling_step_k_uses_the_first_entry_that_has_not_ended()
    {
        var schedule = PromptSchedule.Create("[cat:dog:10]", 20);

        // The web UI's sampler counts steps from 0 and takes the first entry with k <= end: "cat" for 11 steps.
        Assert.Equal(Enumerable.Repeat("cat", 11).Concat(Enumerable.Repeat("dog", 9)), Enumerable.Range(0, 20).Select(schedule.TextAt));
        Assert.Equal("dog", schedule.TextAt(25));
    }

    [Fact]
    public void Alternation_encodes_each_distinct_text_once()
    {
        var schedule = PromptSchedule.Create("[red|blue] ball", 30);

        Assert.Equal(30, schedule.Entries.Count);
        Assert.Equal(["red ball", "blue ball"], schedule.DistinctTexts);
    }

    [Theory]
    [InlineData("ratio 16:9 [cat:dog:0.5]")]
    [InlineData("[cat:dog] on a mat")]
    [InlineData("[cat|dog on a mat")]
    public void Syntax_the_grammar_does_not_cover_is_used_as_written_with_a_warning(string prompt)
    {
        var schedule = PromptSchedule.Create(prompt, 20);

        Assert.Equal([new PromptScheduleEntry(20, prompt)], schedule.Entries);
        var warning = Assert.Single(schedule.Warnings);
        Assert.Contains("could not be read", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_colons_outside_square_brackets_fall_back_silently()
    {
        var schedule = PromptSchedule.Create("ratio 16:9, (x:oops)", 20);

        Assert.Equal([new PromptScheduleEntry(20, "ratio 16:9, (x:oops)")], schedule.Entries);
        Assert.Empty(schedule.Warnings);
    }

    [Fact]
    public void Extra_network_tags_are_removed_with_a_warning()
    {
        var schedule = PromptSchedule.Create("a cat <lora:film-grain:0.8>, [red|blue]", 2, "negative prompt");

        Assert.Equal(["a cat , red", "a cat , blue"], schedule.DistinctTexts);
        var warning = Assert.Single(schedule.Warnings);
        Assert.Contains("negative prompt", warning, StringComparison.Ordinal);
        Assert.Contains("<lora:film-grain:0.8>", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a cat AND a dog", true)]
    [InlineData("a cat AND a dog :1.2", true)]
    [InlineData("(a cat:1.2) AND", true)]
    [InlineData("a cat and a dog", false)]
    [InlineData("ANDROID, BRANDS", false)]
    public void And_composition_is_recognised_as_the_web_ui_splits_it(string prompt, bool used)
    {
        Assert.Equal(used, ComposableDiffusionSyntax.IsUsedIn(prompt));
    }
}
