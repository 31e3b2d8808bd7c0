using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// An immutable, thread-safe policy compiled from its terms: every term is normalised exactly as prompts are (see
/// <c>Policy/README.md</c>), word and phrase terms also in their simple plural forms (+s, +es, consonant+y → ies), and all of them go into
/// one Aho–Corasick automaton. <see cref="Evaluate"/> normalises the text, on stack or pooled buffers, and reads it
/// through the automaton once (twice when it has punctuation inside words, for the "tight" reading), so its cost
/// depends on the text length, not on the number of terms; a verdict that blocks nothing allocates nothing.
/// </summary>
public sealed class CompiledPromptPolicy : IPromptPolicy
{
    /// <summary>Texts whose working buffers fit this many characters are normalised on the stack.</summary>
    private const int StackLimit = 1024;

    /// <summary>The longest term accepted, in normalised symbols.</summary>
    public const int MaximumTermLength = 200;

    private readonly TermAutomaton automaton;
    private readonly PromptPolicyMatch[] matches;

    private CompiledPromptPolicy(IReadOnlyList<PromptPolicyTerm> terms, TermAutomaton automaton)
    {
        Terms = terms;
        this.automaton = automaton;
        matches = [.. terms.Select(t => new PromptPolicyMatch(t.Term, t.Category))];
    }

    /// <summary>The terms, in document order.</summary>
    public IReadOnlyList<PromptPolicyTerm> Terms { get; }

    /// <summary>Number of automaton states (for diagnostics and benchmarks).</summary>
    public int StateCount => automaton.StateCount;

    /// <summary>
    /// Compiles terms into a policy.
    /// </summary>
    /// <param name="terms">The terms (at least one).</param>
    /// <param name="sourceName">Where they came from, for error messages.</param>
    /// <exception cref="PromptPolicyFormatException">A term normalises to nothing or to more than
    /// <see cref="MaximumTermLength"/> symbols, a <c>word</c> term holds several words, a <c>phrase</c> term holds only
    /// one, or two terms normalise to the same text.</exception>
    public static CompiledPromptPolicy Create(IReadOnlyList<PromptPolicyTerm> terms, string sourceName = "policy")
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (terms.Count == 0)
        {
            throw new PromptPolicyFormatException($"Prompt policy '{sourceName}': 'terms' is empty; a policy needs at least one term.");
        }

        var patterns = new List<TermPattern>(terms.Count * 3);
        var exceptionSets = new List<FrozenSet<string>>();
        var seen = new Dictionary<string, int>(terms.Count, StringComparer.Ordinal);
        for (var index = 0; index < terms.Count; index++)
        {
            var term = terms[index];
            ArgumentNullException.ThrowIfNull(term);
            var at = $"terms[{index.ToString(CultureInfo.InvariantCulture)}] '{term.Term}'";
            var (symbols, flags) = PromptTextNormalizer.NormalizeToArrays(term.Term ?? string.Empty);
            if (symbols.Length == 0)
            {
                throw Error(sourceName, $"{at} has no letters or digits left after normalisation.");
            }

            if (symbols.Length > MaximumTermLength)
            {
                throw Error(sourceName, $"{at} is longer than {MaximumTermLength.ToString(CultureInfo.InvariantCulture)} characters after normalisation; block a shorter, distinctive part of it.");
            }

            var words = 1 + symbols.Count(c => c == PromptTextNormalizer.WordSeparator);
            if (term.Match == PromptPolicyMatchKind.Word && words > 1)
            {
                throw Error(sourceName, $"{at} has match 'word' but holds {words.ToString(CultureInfo.InvariantCulture)} words; use 'phrase'.");
            }

            if (term.Match == PromptPolicyMatchKind.Phrase && words < 2)
            {
                throw Error(sourceName, $"{at} has match 'phrase' but is a single word; use 'word'.");
            }

            var needs = NeedsOf(flags);
            var key = Key(symbols, needs);
            if (seen.TryGetValue(key, out var earlier))
            {
                throw Error(sourceName, $"{at} duplicates terms[{earlier.ToString(CultureInfo.InvariantCulture)}] '{terms[earlier].Term}' (both normalise to '{PromptTextNormalizer.Render(term.Term!)}').");
            }

            seen.Add(key, index);
            var exceptionSet = -1;
            if (term.Except is { Count: > 0 } except)
            {
                exceptionSet = exceptionSets.Count;
                exceptionSets.Add(ExceptionSymbols(except, at, sourceName));
            }

            var whole = term.Match != PromptPolicyMatchKind.Substring;
            var before = whole && term.Joined is not (PromptPolicyJoining.Before or PromptPolicyJoining.Both);
            var after = whole && term.Joined is not (PromptPolicyJoining.After or PromptPolicyJoining.Both);
            var form = new TermForm(index, before, after, exceptionSet, whole);
            AddForms(patterns, symbols, flags, form);
            if (term.Match == PromptPolicyMatchKind.Phrase && term.Joined != PromptPolicyJoining.None)
            {
                // The phrase's words written together ("massshooting"): the letters and digits of the term, as one word.
                var (joinedSymbols, joinedFlags) = PromptTextNormalizer.NormalizeToArrays(string.Concat(term.Term!.Where(char.IsLetterOrDigit)));
                AddForms(patterns, joinedSymbols, joinedFlags, form);
            }
        }

        return new CompiledPromptPolicy(terms, TermAutomaton.Build(patterns, exceptionSets));
    }

    /// <summary>Adds a term form and, for word and phrase terms, its simple plurals.</summary>
    private static void AddForms(List<TermPattern> patterns, char[] symbols, byte[] flags, TermForm form)
    {
        patterns.Add(new TermPattern(symbols, NeedsOf(flags), form.Index, form.BoundaryBefore, form.BoundaryAfter, form.ExceptionSet));
        if (form.Plurals && symbols[^1] is >= 'a' and <= 'z')
        {
            AddPlural(patterns, symbols, flags, "s", form);
            AddPlural(patterns, symbols, flags, "es", form);
            if (symbols.Length > 1 && symbols[^1] == 'y' && symbols[^2] is >= 'a' and <= 'z' and not ('a' or 'e' or 'i' or 'o' or 'u'))
            {
                // "pussy" -> "pussies": the y becomes "ies".
                AddPlural(patterns, symbols[..^1], flags[..^1], "ies", form);
            }
        }
    }

    /// <summary>The normalised symbols of a term's innocent words; each must be one word.</summary>
    private static FrozenSet<string> ExceptionSymbols(IReadOnlyList<string> words, string at, string sourceName)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var (symbols, _) = PromptTextNormalizer.NormalizeToArrays(word ?? string.Empty);
            if (symbols.Length == 0 || symbols.Contains(PromptTextNormalizer.WordSeparator))
            {
                throw Error(sourceName, $"{at}: except '{word}' must be one word.");
            }

            set.Add(new string(symbols));
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Compiles the default policy shipped inside DiffusionFunctions.Core (<c>Policy/default-prompt-policy.json</c>),
    /// the one <c>AddPromptPolicy</c> uses when <c>PromptPolicy:Source</c> is empty.
    /// </summary>
    public static CompiledPromptPolicy CreateDefault()
    {
        const string source = "default (embedded in DiffusionFunctions.Core)";
        return Create(PromptPolicyDocumentParser.Parse(EmbeddedPromptPolicySource.ReadDocument(), source), source);
    }

    /// <inheritdoc />
    public PromptPolicyVerdict Evaluate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return PromptPolicyVerdict.Allowed;
        }

        var isAscii = System.Text.Ascii.IsValid(text);
        char[]? decomposedArray = null;
        char[]? rentedChars = null;
        byte[]? rentedFlags = null;
        try
        {
            var decomposed = isAscii ? text.AsSpan() : PromptTextNormalizer.Decompose(text, out decomposedArray);
            var max = PromptTextNormalizer.MaxLength(decomposed.Length, isAscii);
            var chars = max * 2 <= StackLimit
                ? stackalloc char[max * 2]
                : (rentedChars = ArrayPool<char>.Shared.Rent(max * 2));
            var flags = max <= StackLimit
                ? stackalloc byte[max]
                : (rentedFlags = ArrayPool<byte>.Shared.Rent(max));
            var symbols = chars.Slice(max, max);
            var count = PromptTextNormalizer.Normalize(decomposed, isAscii, chars[..max], symbols, flags, PromptReading.Plain, out var needed);
            var found = new TermMatchSet(stackalloc int[8]);
            automaton.Scan(symbols[..count], flags[..count], ref found);

            // Further readings, only when the text needs them: the "tight" one (punctuation inside a word, "go.re",
            // joins instead of separating), the second reading of look-alikes with two ("νаzi"), and both together.
            for (var reading = PromptReading.Tight; reading <= (PromptReading.Tight | PromptReading.SecondLookAlike); reading++)
            {
                if ((needed & reading) == reading)
                {
                    count = PromptTextNormalizer.Normalize(decomposed, isAscii, chars[..max], symbols, flags, reading, out _);
                    automaton.Scan(symbols[..count], flags[..count], ref found);
                }
            }

            if (found.Count == 0)
            {
                return PromptPolicyVerdict.Allowed;
            }

            var result = new PromptPolicyMatch[found.Count];
            for (var i = 0; i < found.Count; i++)
            {
                result[i] = matches[found[i]];
            }

            return new PromptPolicyVerdict(true, result);
        }
        finally
        {
            if (decomposedArray is not null)
            {
                ArrayPool<char>.Shared.Return(decomposedArray);
            }

            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedFlags is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedFlags);
            }
        }
    }

    /// <summary>What each position of a term requires of the text: a doubled letter, and i or l where the term says so.</summary>
    private static byte[] NeedsOf(byte[] flags)
    {
        var needs = new byte[flags.Length];
        for (var i = 0; i < flags.Length; i++)
        {
            var letter = flags[i] & (PromptTextNormalizer.LetterI | PromptTextNormalizer.LetterL);
            var exact = letter is PromptTextNormalizer.LetterI or PromptTextNormalizer.LetterL ? letter : 0;
            needs[i] = (byte)((flags[i] & PromptTextNormalizer.Doubled) | exact);
        }

        return needs;
    }

    private static void AddPlural(List<TermPattern> patterns, char[] symbols, byte[] flags, string suffix, TermForm form)
    {
        var pluralSymbols = new List<char>(symbols);
        var pluralFlags = new List<byte>(flags);
        foreach (var c in suffix)
        {
            if (pluralSymbols[^1] == c)
            {
                pluralFlags[^1] |= PromptTextNormalizer.Doubled;
            }
            else
            {
                pluralSymbols.Add(c);
                pluralFlags.Add(0);
            }
        }

        if (pluralSymbols.Count == symbols.Length)
        {
            return; // "ass" + "s" collapses back into the term itself: nothing new to match.
        }

        // The letters the plural adds must appear once, as written: "asses" is a plural of "ass", "assess" is not.
        var needs = NeedsOf([.. pluralFlags]);
        for (var i = symbols.Length; i < needs.Length; i++)
        {
            needs[i] |= PromptTextNormalizer.MustBeSingle;
        }

        patterns.Add(new TermPattern([.. pluralSymbols], needs, form.Index, form.BoundaryBefore, form.BoundaryAfter, form.ExceptionSet));
    }

    /// <summary>What every form of one term shares: its index, the boundaries it needs, its innocent words, whether it has plurals.</summary>
    private readonly record struct TermForm(int Index, bool BoundaryBefore, bool BoundaryAfter, int ExceptionSet, bool Plurals);

    private static string Key(char[] symbols, byte[] needs) =>
        string.Concat(new string(symbols), "|", Convert.ToHexString(needs));

    private static PromptPolicyFormatException Error(string source, string message) =>
        new($"Prompt policy '{source}': {message}");
}
