namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Which reading of a text <see cref="PromptTextNormalizer"/> produces. The plain reading is always scanned; the others
/// only when the plain pass saw something that needs them, and their matches add to the plain reading's.
/// </summary>
[Flags]
internal enum PromptReading
{
    /// <summary>Punctuation separates words; each look-alike takes its first reading.</summary>
    Plain = 0,

    /// <summary>Punctuation with no whitespace around it joins ("go.re"); only the words where that happened are kept.</summary>
    Tight = 1,

    /// <summary>
    /// Look-alikes with two readings (Greek <c>ν</c>: v or n) take their second one, in words that also hold letters of
    /// another script ("νаzi"); a word written wholly in Greek keeps the first reading.
    /// </summary>
    SecondLookAlike = 2,
}
