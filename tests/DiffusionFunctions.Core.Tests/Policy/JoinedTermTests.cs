using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>
/// Terms written without separators ("massshooting", "neonazi") are caught where the policy opens a term to joining
/// (<c>joined</c>), and innocent words that contain such a term are not, whether the whole-word rule keeps them out
/// (terms not joined) or the term's <c>except</c> list names them ("ashkenazi").
/// </summary>
public sealed class JoinedTermTests
{
    private static readonly CompiledPromptPolicy Default = CompiledPromptPolicy.CreateDefault();

    public static TheoryData<string, string> CaughtByDefault => new()
    {
        { "massshooting", "mass shooting" },
        { "a MassShooting scene", "mass shooting" },
        { "mass-shooting", "mass shooting" },
        { "childabuse", "child abuse" },
        { "neonazi", "nazi" },
        { "nazism", "nazi" },
        { "neonazis marching", "nazi" },
        { "nazist propaganda", "nazi" },
        { "νеοnаzі", "nazi" },
        { "selfharm", "self harm" },
        { "whitepower", "white power" },
        { "heilhitler", "heil hitler" },
        { "kukluxklan", "ku klux klan" },
        { "killmyself", "kill myself" },
        { "nsfwart", "nsfw" },
        { "#nsfw_content", "nsfw" },
        { "swastikaflag", "swastika" },
    };

    public static TheoryData<string, string> InnocentUnderDefault => new()
    {
        { "an Ashkenazi wedding", "except: 'nazi' inside 'ashkenazi'" },
        { "Ashkenazim in Vilnius", "except: 'ashkenazim'" },
        { "the Nazirite vow", "except: 'nazirite'" },
        { "a portrait of Nazim Hikmet", "except: 'nazim'" },
        { "Nazareth at dawn", "'naz' is not 'nazi'" },
        { "a massive shooting star", "'mass' must be a whole word in the phrase" },
        { "glass shooting star", "'glass' is not 'mass'" },
        { "self harmony and balance", "the joined phrase must be a whole word: 'selfharmony' is not 'selfharm'" },
        { "killmyselfie", "the joined phrase must be a whole word" },
        { "a childish abuser of words", "not the phrase's words" },
        { "the whitepowerbank", "the joined phrase must be a whole word" },
        { "a gorgeous sunset", "gore is not joined: 'gorgeous' stays innocent" },
        { "Essex and Sussex", "sex is not joined" },
    };

    [Theory]
    [MemberData(nameof(CaughtByDefault))]
    public void Joined_forms_are_caught_by_the_default_policy(string text, string term)
    {
        var verdict = Default.Evaluate(text);

        Assert.True(verdict.IsBlocked, $"'{text}' should be blocked; normalised '{PromptTextNormalizer.Render(text)}'");
        Assert.Contains(verdict.Matches, m => m.Term == term);
    }

    [Theory]
    [MemberData(nameof(InnocentUnderDefault))]
    public void Innocent_words_containing_a_joined_term_pass(string text, string reason)
    {
        var verdict = Default.Evaluate(text);

        Assert.False(verdict.IsBlocked, $"'{text}' should pass ({reason}) but matched {string.Join(", ", verdict.Matches.Select(m => m.Term))}");
    }

    [Theory]
    [InlineData("before", "neonazi", true)]
    [InlineData("before", "nazism", false)]
    [InlineData("after", "nazism", true)]
    [InlineData("after", "neonazi", false)]
    [InlineData("both", "neonazism", true)]
    [InlineData("none", "neonazi", false)]
    [InlineData("none", "nazis", true)]
    public void Joined_says_on_which_side_letters_may_be_added(string joined, string text, bool blocked)
    {
        var policy = Compile($$"""{ "version": 1, "terms": [ { "term": "nazi", "category": "hate", "match": "word", "joined": "{{joined}}" } ] }""");

        Assert.Equal(blocked, policy.Evaluate(text).IsBlocked);
    }

    [Fact]
    public void Except_applies_only_to_joined_matches_and_to_the_whole_word()
    {
        var policy = Compile("""{ "version": 1, "terms": [ { "term": "nazi", "category": "hate", "match": "word", "joined": "both", "except": ["ashkenazi"] } ] }""");

        Assert.False(policy.Evaluate("Ashkenazi").IsBlocked);
        Assert.False(policy.Evaluate("ASHKENAZI").IsBlocked);
        Assert.True(policy.Evaluate("ashkenazism").IsBlocked);
        Assert.True(policy.Evaluate("nazi").IsBlocked);
        Assert.True(policy.Evaluate("ashkenazi neonazi").IsBlocked);
    }

    [Fact]
    public void Except_also_serves_substring_terms()
    {
        var policy = Compile("""{ "version": 1, "terms": [ { "term": "cunt", "category": "profanity", "match": "substring", "except": ["scunthorpe"] } ] }""");

        Assert.False(policy.Evaluate("Scunthorpe United").IsBlocked);
        Assert.True(policy.Evaluate("cunts").IsBlocked);
    }

    [Theory]
    [InlineData("""{ "term": "gore", "category": "v", "match": "word", "joined": "sideways" }""", "joined 'sideways' is not one of")]
    [InlineData("""{ "term": "gore", "category": "v", "match": "word", "joined": "words" }""", "applies only to match 'phrase'")]
    [InlineData("""{ "term": "porn", "category": "v", "match": "substring", "joined": "both" }""", "does not apply to match 'substring'")]
    [InlineData("""{ "term": "gore", "category": "v", "match": "word", "except": ["gorey"] }""", "except applies only to terms that match inside words")]
    [InlineData("""{ "term": "gore", "category": "v", "match": "word", "joined": "both", "except": "gorey" }""", "must be an array")]
    [InlineData("""{ "term": "gore", "category": "v", "match": "word", "joined": "both", "except": [""] }""", "is empty")]
    public void Bad_joined_or_except_is_refused_naming_the_entry(string entry, string expected)
    {
        var ex = Assert.Throws<PromptPolicyFormatException>(() => Compile($$"""{ "version": 1, "terms": [ {{entry}} ] }"""));

        Assert.Contains("terms[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_except_of_several_words_is_refused()
    {
        var ex = Assert.Throws<PromptPolicyFormatException>(() =>
            Compile("""{ "version": 1, "terms": [ { "term": "nazi", "category": "h", "match": "word", "joined": "both", "except": ["ashke nazi"] } ] }"""));

        Assert.Contains("must be one word", ex.Message, StringComparison.Ordinal);
    }

    private static CompiledPromptPolicy Compile(string json) => CompiledPromptPolicy.Create(PromptPolicyDocumentParser.Parse(json, "test"), "test");
}
