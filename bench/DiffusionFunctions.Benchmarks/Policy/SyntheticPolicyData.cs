using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Benchmarks.Policy;

/// <summary>
/// Deterministic benchmark inputs: blocked-term lists of any size built from consonant-vowel syllables (so every term
/// is a distinct, pronounceable word that normalises to itself), and typical Stable Diffusion prompts of about 200
/// characters assembled from common prompt fragments (some with punctuation inside words, "sci-fi", "f/1.8", which
/// costs the policy a second reading), a few of them carrying a blocked term.
/// </summary>
internal static class SyntheticPolicyData
{
    private static readonly string[] Onsets = ["b", "d", "f", "g", "h", "k", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "pr", "st", "tr", "sk", "sp", "ch", "sh", "th"];
    private static readonly string[] Vowels = ["a", "e", "o", "u", "ai", "ou"];
    private static readonly string[] Categories = ["violence", "sexual", "hate", "self-harm", "minors", "drugs", "weapons", "profanity"];

    private static readonly string[] Fragments =
    [
        "a highly detailed portrait of an astronaut", "cinematic lighting", "8k", "trending on artstation", "by a renowned painter",
        "volumetric fog", "golden hour", "ultra realistic", "sharp focus", "octane render", "a cozy cabin in the woods",
        "watercolor illustration", "a red fox sitting in the snow", "concept art", "matte painting", "studio ghibli style",
        "intricate details", "soft pastel colors", "a futuristic city skyline at night", "neon reflections on wet streets",
        "a bowl of fruit on a wooden table", "dramatic clouds", "wide angle lens", "bokeh", "35mm film photograph",
        "a knight in ornate armor", "fantasy landscape", "misty mountains", "a lighthouse on a rocky coast", "stormy sea",
        "isometric view", "low poly", "pixel art", "a cat wearing a tiny hat", "vibrant colors", "award winning photograph",
        "depth of field", "a steampunk airship", "baroque architecture", "art nouveau poster", "a serene japanese garden",
        "cherry blossoms", "koi pond", "hyperrealistic", "unreal engine 5", "ray tracing", "soft rim light", "masterpiece",
        "sci-fi", "hyper-detailed", "shot at f/1.8", "16:9 aspect ratio", "high-res", "art-deco poster", "mid-century modern",
    ];

    /// <summary>Builds <paramref name="count"/> distinct terms (about 80% word, 15% phrase, 5% substring).</summary>
    public static List<PromptPolicyTerm> Terms(int count, int seed = 20251125)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var terms = new List<PromptPolicyTerm>(count);
        while (terms.Count < count)
        {
            var roll = random.Next(100);
            var kind = roll < 80 ? PromptPolicyMatchKind.Word : roll < 95 ? PromptPolicyMatchKind.Phrase : PromptPolicyMatchKind.Substring;
            var text = kind == PromptPolicyMatchKind.Phrase ? $"{Word(random)} {Word(random)}" : Word(random);
            if (seen.Add(text))
            {
                terms.Add(new PromptPolicyTerm(text, Categories[random.Next(Categories.Length)], kind));
            }
        }

        return terms;
    }

    /// <summary>
    /// Builds <paramref name="count"/> prompts of about <paramref name="length"/> characters; every twentieth carries
    /// one of <paramref name="blockable"/> (in a light disguise: upper case, leet or spaced letters).
    /// </summary>
    public static string[] Prompts(int count, int length, IReadOnlyList<PromptPolicyTerm> blockable, int seed = 7)
    {
        var random = new Random(seed);
        var prompts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var parts = new List<string>();
            var total = 0;
            while (total < length)
            {
                var fragment = i % 20 == 0 && parts.Count == 2
                    ? Disguise(blockable[random.Next(blockable.Count)].Term, random)
                    : Fragments[random.Next(Fragments.Length)];
                parts.Add(fragment);
                total += fragment.Length + 2;
            }

            var prompt = string.Join(", ", parts);
            prompts[i] = prompt.Length > length ? prompt[..length] : prompt;
        }

        return prompts;
    }

    /// <summary>The same prompt with some letters accented (é, ü, ñ) and some replaced by Cyrillic look-alikes (а, о).</summary>
    public static string Accent(string prompt) => prompt
        .Replace('e', 'é')
        .Replace('u', 'ü')
        .Replace('n', 'ñ')
        .Replace(" a ", " а ", StringComparison.Ordinal)
        .Replace("oo", "оо", StringComparison.Ordinal);

    private static string Word(Random random)
    {
        var syllables = 2 + random.Next(3);
        var word = string.Empty;
        for (var s = 0; s < syllables; s++)
        {
            word += Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)];
        }

        return word;
    }

    private static string Disguise(string term, Random random) => random.Next(3) switch
    {
        0 => term.ToUpperInvariant(),
        1 => term.Replace('o', '0').Replace('e', '3').Replace('a', '4'),
        _ => string.Join(' ', term.ToCharArray()),
    };
}
