using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

public sealed class PromptPolicyDocumentParserTests
{
    [Fact]
    public void Parses_terms_in_document_order_with_their_categories_and_match_kinds()
    {
        const string json = """
            { "version": 1, "terms": [
              { "term": "gore", "category": "violence", "match": "word" },
              { "term": "self harm", "category": "self-harm", "match": "phrase" },
              { "term": "porn", "category": "sexual", "match": "substring" } ] }
            """;

        var terms = PromptPolicyDocumentParser.Parse(json, "test.json");

        Assert.Equal(
            [
                new PromptPolicyTerm("gore", "violence", PromptPolicyMatchKind.Word),
                new PromptPolicyTerm("self harm", "self-harm", PromptPolicyMatchKind.Phrase),
                new PromptPolicyTerm("porn", "sexual", PromptPolicyMatchKind.Substring),
            ],
            terms);
    }

    [Fact]
    public void Accepts_a_utf8_byte_order_mark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. """{"version":1,"terms":[{"term":"gore","category":"violence","match":"word"}]}"""u8];

        Assert.Single(PromptPolicyDocumentParser.Parse(bytes, "bom.json"));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "{ not json", "Prompt policy 'p.json' is not valid JSON" },
        { "[]", "Prompt policy 'p.json': the document must be a JSON object, not an array." },
        { """{ "terms": [] }""", "'version' is missing" },
        { """{ "version": 2, "terms": [] }""", "version 2 is not supported (this build reads version 1)" },
        { """{ "version": "1", "terms": [] }""", "'version' must be the number 1, not \"1\"" },
        { """{ "version": 1 }""", "'terms' is missing" },
        { """{ "version": 1, "terms": {} }""", "'terms' must be an array, not an object." },
        { """{ "version": 1, "terms": [], "extra": true }""", "unknown property 'extra'" },
        { """{ "version": 1, "terms": [ "gore" ] }""", "terms[0] must be an object { term, category, match }, not a string." },
        { """{ "version": 1, "terms": [ { "category": "violence", "match": "word" } ] }""", "terms[0].term is missing." },
        { """{ "version": 1, "terms": [ { "term": "  ", "category": "violence", "match": "word" } ] }""", "terms[0].term is empty." },
        { """{ "version": 1, "terms": [ { "term": 5, "category": "violence", "match": "word" } ] }""", "terms[0].term must be a string, not a number." },
        { """{ "version": 1, "terms": [ { "term": "gore", "category": "", "match": "word" } ] }""", "terms[0].category is empty (term 'gore')." },
        { """{ "version": 1, "terms": [ { "term": "gore", "match": "word" } ] }""", "terms[0].category is missing (term 'gore')." },
        { """{ "version": 1, "terms": [ { "term": "gore", "category": "violence" } ] }""", "terms[0].match is missing (term 'gore'; expected word, phrase or substring)." },
        { """{ "version": 1, "terms": [ { "term": "gore", "category": "violence", "match": "regex" } ] }""", "terms[0].match 'regex' is not one of word, phrase, substring (term 'gore')." },
        { """{ "version": 1, "terms": [ { "term": "gore", "category": "violence", "match": "word", "severity": 3 } ] }""", "terms[0] has unknown property 'severity'" },
        { """{ "version": 1, "terms": [ { "term": "gore", "category": "violence", "match": "word" }, ] }""", "is not valid JSON" },
        { """{ "version": 1, "terms": [ { "term": "go\ud800re", "category": "violence", "match": "word" } ] }""", "not valid Unicode (a lone surrogate escape)" },
        { """{ "version": 1, "terms": [ { "term": "gore", "\udc00": "x", "match": "word" } ] }""", "not valid Unicode (a lone surrogate escape)" },
    };

    [Fact]
    public void Rejects_a_document_that_is_not_valid_utf8()
    {
        byte[] bytes = [.. """{"version":1,"terms":[{"term":"go"""u8, 0xFF, .. "re\",\"category\":\"v\",\"match\":\"word\"}]}"u8];

        var ex = Assert.Throws<PromptPolicyFormatException>(() => PromptPolicyDocumentParser.Parse(bytes, "p.json"));

        Assert.Contains("'p.json' is not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Rejects_a_broken_document_with_a_message_naming_the_source_and_the_entry(string json, string expectedMessagePart)
    {
        var ex = Assert.Throws<PromptPolicyFormatException>(() => PromptPolicyDocumentParser.Parse(json, "p.json"));

        Assert.StartsWith("Prompt policy 'p.json'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<PromptPolicyTerm[], string> BadTermSets => new()
    {
        {
            [new("gore", "violence", PromptPolicyMatchKind.Word), new("GORE", "violence", PromptPolicyMatchKind.Word)],
            "terms[1] 'GORE' duplicates terms[0] 'gore' (both normalise to 'gore')."
        },
        {
            [new("gore", "violence", PromptPolicyMatchKind.Word), new("g0r3", "violence", PromptPolicyMatchKind.Substring)],
            "terms[1] 'g0r3' duplicates terms[0] 'gore' (both normalise to 'gore')."
        },
        {
            [new("!!!", "noise", PromptPolicyMatchKind.Word)],
            "terms[0] '!!!' has no letters or digits left after normalisation."
        },
        {
            [new("blood bath", "violence", PromptPolicyMatchKind.Word)],
            "terms[0] 'blood bath' has match 'word' but holds 2 words; use 'phrase'."
        },
        {
            [new("gore", "violence", PromptPolicyMatchKind.Phrase)],
            "terms[0] 'gore' has match 'phrase' but is a single word; use 'word'."
        },
        {
            [],
            "'terms' is empty; a policy needs at least one term."
        },
        {
            [new(string.Concat(Enumerable.Repeat("ab", 101)), "noise", PromptPolicyMatchKind.Substring)],
            "is longer than 200 characters after normalisation; block a shorter, distinctive part of it."
        },
    };

    [Theory]
    [MemberData(nameof(BadTermSets))]
    public void Compiling_rejects_terms_that_cannot_work(PromptPolicyTerm[] terms, string expectedMessagePart)
    {
        var ex = Assert.Throws<PromptPolicyFormatException>(() => CompiledPromptPolicy.Create(terms, "p.json"));

        Assert.StartsWith("Prompt policy 'p.json': ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_policy_is_valid_and_blocks_gore_as_violence()
    {
        var policy = CompiledPromptPolicy.CreateDefault();
        var terms = policy.Terms;

        Assert.Contains(new PromptPolicyTerm("gore", "violence", PromptPolicyMatchKind.Word), terms);
        Assert.Equal([new PromptPolicyMatch("gore", "violence")], policy.Evaluate("a g0ry... no, a GORE scene").Matches.Where(m => m.Term == "gore"));
        Assert.Equal(["violence", "sexual", "minors", "hate", "self-harm"], terms.Select(t => t.Category).Distinct());
        Assert.True(policy.Evaluate("nsfw, nude").IsBlocked);
        Assert.False(policy.Evaluate("a gorgeous watercolour of Essex at sunset, highly detailed").IsBlocked);
    }
}
