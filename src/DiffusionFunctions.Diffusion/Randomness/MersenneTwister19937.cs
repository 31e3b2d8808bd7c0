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
    private int _left;
    private int _next;

    public MersenneTwister19937(ulong seed)
    {
        _state[0] = (uint)(seed & 0xffffffff);
        for (var j = 1; j < StateSize; j++)
        {
            _state[j] = unchecked((1812433253u * (_state[j - 1] ^ (_state[j - 1] >> 30))) + (uint)j);
        }

        _left = 1;
        _next = 0;
    }

    /// <summary>The next tempered 32-bit output.</summary>
    public uint NextUInt32()
    {
        if (--_left == 0)
        {
            NextState();
        }

        var y = _state[_next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    private void NextState()
    {
        var state = _state;
        _left = StateSize;
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
