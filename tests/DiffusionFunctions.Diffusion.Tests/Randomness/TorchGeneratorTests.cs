using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Tests.Randomness;

/// <summary>
/// <see cref="TorchGenerator"/> against PyTorch: the published seed-0 values, and golden draws recorded from a real
/// torch 1.13 CPU build by <c>tools/reference/torch_randn_goldens.py</c> (see <see cref="TorchRandnGoldens"/>).
/// </summary>
public sealed class TorchGeneratorTests
{
    public static TheoryData<int> GoldenCaseIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < TorchRandnGoldens.Cases.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Seed0_randn5_matches_the_published_torch_values()
    {
        var values = new TorchGenerator(0).Randn(5);

        float[] expected = [1.5410f, -0.2934f, -2.1788f, 0.5684f, -1.0845f];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], values[i], 4);
        }
    }

    [Fact]
    public void Seed0_randn16_takes_the_vectorised_path_and_matches_torch()
    {
        // torch.manual_seed(0); torch.randn(16) starts -1.1258, -1.1524, -0.2506, -0.4339, 0.8487 ...
        var values = new TorchGenerator(0).Randn(16);

        Assert.Equal(-1.1258398f, values[0], 6);
        Assert.Equal(-1.1523602f, values[1], 6);
        Assert.Equal(-0.2472782f, values[15], 6);
    }

    [Theory]
    [MemberData(nameof(GoldenCaseIndexes))]
    public void Draws_match_torch_goldens_bit_for_bit(int caseIndex)
    {
        var golden = TorchRandnGoldens.Cases[caseIndex];
        var generator = new TorchGenerator(golden.Seed);
        Assert.Equal(golden.InitialSeed, generator.InitialSeed);

        foreach (var draw in golden.Draws)
        {
            var actual = generator.Randn(draw.Count);
            if (draw.Values is { } values)
            {
                AssertBits(values, actual, 0, $"{golden} count {draw.Count}");
            }

            if (draw.Head is { } head)
            {
                AssertBits(head, actual.AsSpan(0, head.Length).ToArray(), 0, $"{golden} head of {draw.Count}");
            }

            if (draw.Tail is { } tail)
            {
                AssertBits(tail, actual.AsSpan(actual.Length - tail.Length).ToArray(), actual.Length - tail.Length, $"{golden} tail of {draw.Count}");
            }

            if (draw.Sum is { } sum)
            {
                Assert.Equal(sum, actual.Sum(v => (double)v), 9);
                Assert.Equal(draw.SumAbs!.Value, actual.Sum(v => Math.Abs((double)v)), 9);
            }
        }
    }

    [Fact]
    public void Successive_draws_continue_one_stream()
    {
        var one = new TorchGenerator(7);
        var first = one.Randn(20);
        var second = one.Randn(20);

        var fresh = new TorchGenerator(7).Randn(20);
        Assert.Equal(fresh, first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void FillNormal_equals_Randn_of_the_same_length()
    {
        var buffer = new float[4 * 64 * 64];
        new TorchGenerator(1234).FillNormal(buffer);

        Assert.Equal(new TorchGenerator(1234).Randn(buffer.Length), buffer);
    }

    [Fact]
    public void Negative_seeds_wrap_to_their_two_s_complement_as_in_torch()
    {
        var generator = new TorchGenerator(-1L);

        Assert.Equal(ulong.MaxValue, generator.InitialSeed);
        Assert.Equal(new TorchGenerator(ulong.MaxValue).Randn(33), generator.Randn(33));
    }

    [Fact]
    public void Seeds_share_an_engine_state_when_their_low_32_bits_agree()
    {
        // at::mt19937 keeps only the low 32 bits of the seed.
        Assert.Equal(new TorchGenerator(5).Randn(40), new TorchGenerator((1L << 32) + 5).Randn(40));
    }

    private static void AssertBits(float[] expected, float[] actual, int offset, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {offset + i} is {actual[i]:R}, torch gives {expected[i]:R}");
            }
        }
    }
}
