namespace DiffusionFunctions.Diffusion.Randomness;

/// <summary>
/// The 32-bit Mersenne Twister (Matsumoto and Nishimura 1998) as PyTorch's <c>at::mt19937</c> runs it
/// (<c>aten/src/ATen/core/MT19937RNGEngine.h</c>): seeded from the low 32 bits of the seed, the state regenerated every 624 draws.
/// </summary>
internal sealed class MersenneTwister19937
{
    private const int StateSize = 624;
    private const int MiddleWord = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _state = new uint[StateSize];
    private int _next;

    public MersenneTwister19937(ulong seed)
    {
        _state[0] = (uint)(seed & 0xffffffff);
        for (var j = 1; j < StateSize; j++)
        {
            _state[j] = unchecked((1812433253u * (_state[j - 1] ^ (_state[j - 1] >> 30))) + (uint)j);
        }

        // torch starts with left_ = 1: the first draw regenerates the state.
        _next = StateSize;
    }

    /// <summary>The next tempered 32-bit output.</summary>
    public uint NextUInt32()
    {
        if (_next == StateSize)
        {
            NextState();
        }

        return Temper(_state[_next++]);
    }

    /// <summary>Fills <paramref name="destination"/> with the next outputs, in order (same stream as repeated <see cref="NextUInt32"/>).</summary>
    public void Fill(Span<uint> destination)
    {
        var state = _state;
        var written = 0;
        while (written < destination.Length)
        {
            if (_next == StateSize)
            {
                NextState();
            }

            var count = Math.Min(StateSize - _next, destination.Length - written);
            var source = state.AsSpan(_next, count);
            var target = destination.Slice(written, count);
            for (var k = 0; k < source.Length; k++)
            {
                target[k] = Temper(source[k]);
            }

            _next += count;
            written += count;
        }
    }

    private static uint Temper(uint y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    private void NextState()
    {
        var state = _state;
        _next = 0;
        int k;
        for (k = 0; k < StateSize - MiddleWord; k++)
        {
            state[k] = state[k + MiddleWord] ^ Twist(state[k], state[k + 1]);
        }

        for (; k < StateSize - 1; k++)
        {
            state[k] = state[k + MiddleWord - StateSize] ^ Twist(state[k], state[k + 1]);
        }

        state[StateSize - 1] = state[MiddleWord - 1] ^ Twist(state[StateSize - 1], state[0]);
    }

    private static uint Twist(uint u, uint v)
    {
        var mixed = (u & UpperMask) | (v & LowerMask);
        return (mixed >> 1) ^ ((v & 1) != 0 ? MatrixA : 0u);
    }
}
