using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>
/// The clean-up steps against Python's own results (CPython 3.11 <c>html.unescape</c> and <c>str.lower</c>; the expected
/// strings were printed by that interpreter). The final-sigma rule was also compared with CPython over every code point
/// (Σ before, after and around each): only characters assigned after Unicode 14 differ.
/// </summary>
public sealed class ClipTextNormalizerTests
{
    [Theory]
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")]
    [InlineData("&lt;3 &gt", "<3 >")]
    [InlineData("&#39;&#x27;&#X41;", "''A")]
    [InlineData("&#128;&#0;&#xD800;&#1114112;&#11;&#13;", "\u20ac\ufffd\ufffd\ufffd\r")]
    [InlineData("&ampx &notit; &zz; &#; &#x;", "&x \u00acit; &zz; &#; &#x;")]
    [InlineData("&amp;amp;", "&amp;")]
    [InlineData("&copy2024", "\u00a92024")]
    [InlineData("&NewLine;&colon;", "\n:")]
    [InlineData("&#x1F600;", "\ud83d\ude00")]
    [InlineData("&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;", "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;")]
    [InlineData("&apos;s", "'s")]
    [InlineData("no entities", "no entities")]
    [InlineData("&&amp;", "&&")]
    [InlineData("&Eacute;&eacute", "\u00c9\u00e9")]
    public void Html_unescape_matches_Python(string input, string expected)
    {
        Assert.Equal(expected, HtmlEntityDecoder.Unescape(input));
    }

    [Theory]
    [InlineData("ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ", "οδος και σοφια")]
    [InlineData("Σ", "σ")]
    [InlineData("AΣ", "aς")]
    [InlineData("AΣ.", "aς.")]
    [InlineData("AΣ'B", "aσ'b")]
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ΣΑΣ!", "σας!")]
    [InlineData("ǅ ẞ K", "ǆ ß k")]
    [InlineData("ÑΣⅫ", "ñσⅻ")] // Roman numerals are cased (Other_Uppercase)
    [InlineData("ªΣ", "ªς")] // ª is cased (Other_Lowercase)
    [InlineData("AΣ\U0001F130", "aσ\U0001F130")] // squared capitals are cased
    [InlineData("AΣ\u055FB", "aσ\u055Fb")] // U+055F is case-ignorable
    [InlineData("ⅫΣ", "ⅻς")]
    public void Lower_casing_matches_Python(string input, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.ToLowerLikePython(input));
    }

    [Theory]
    [InlineData("  a \t\n b\u3000\u00a0c  ", "a b c")]
    [InlineData("\u001c a \u001c b \u001f", "a \u001c b")]
    [InlineData("already clean", "already clean")]
    [InlineData(" \r\n ", "")]
    public void Whitespace_is_collapsed_and_stripped_like_the_reference(string input, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.CollapseWhitespace(input));
    }
}
