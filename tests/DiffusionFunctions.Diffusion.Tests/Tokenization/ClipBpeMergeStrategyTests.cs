using System.Text;
using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>
/// The O(n log n) priority-queue merge (used for words over <see cref="ClipBpeModel.LongWordSymbols"/> bytes) must give
/// exactly the reference loop's symbols. The golden table's 600-letter word checks it against the Python reference too.
/// </summary>
[Collection(ClipTokenizerCollection.Name)]
public sealed class ClipBpeMergeStrategyTests(ClipTokenizerFixture fixture)
{
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Queue_and_scan_merges_agree_on_random_words(int seed)
    {
        var model = fixture.FromOpenAi.Model;
        var random = new Random(seed);
        string[] alphabets = ["abcdefghijklmnopqrstuvwxyz", "aeiou", "ab", "éèàçñøß東京猫ねこ🐱✨", "0123456789!?.,"];
        for (var n = 0; n < 200; n++)
        {
            var alphabet = alphabets[random.Next(alphabets.Length)].EnumerateRunes().ToArray();
            var word = new StringBuilder();
            var length = random.Next(1, 160);
            for (var i = 0; i < length; i++)
            {
                word.Append(alphabet[random.Next(alphabet.Length)].ToString());
            }

            var text = word.ToString();
            Assert.Equal(model.MergeWord(text, BpeMergeStrategy.Scan), model.MergeWord(text, BpeMergeStrategy.PriorityQueue));
        }
    }

    [Fact]
    public void Queue_merge_gives_the_published_ids_for_common_words()
    {
        var model = fixture.FromOpenAi.Model;

        Assert.Equal([18376], model.MergeWord("astronaut", BpeMergeStrategy.PriorityQueue));
        Assert.Equal([2368], model.MergeWord("cat", BpeMergeStrategy.PriorityQueue));
        Assert.Equal([320], model.MergeWord("a", BpeMergeStrategy.PriorityQueue));
    }

    [Fact]
    public void Golden_table_holds_a_word_long_enough_for_the_queue_path()
    {
        var golden = ClipGoldenTable.Load("clip_golden_ids.json");

        Assert.Contains(golden.Prompts, p => p.Text.Split(' ').Any(w => Encoding.UTF8.GetByteCount(w) > ClipBpeModel.LongWordSymbols * 4));
    }
}
