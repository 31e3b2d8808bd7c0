namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// The reversible byte-to-character map of GPT-2/CLIP byte-level BPE (openai/CLIP <c>simple_tokenizer.py</c>,
/// <c>bytes_to_unicode</c>): printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 upwards, so every
/// UTF-8 byte of a word becomes one visible character of a BPE symbol.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly int[] CharToByteTable = BuildCharToByte(ByteToCharTable);
    private static readonly byte[] VocabularyOrder = BuildOrder();

    /// <summary>The 256 bytes in the reference's vocabulary order: the printable ranges first, then the rest ascending.</summary>
    public static ReadOnlySpan<byte> BytesInVocabularyOrder => VocabularyOrder;

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char ToChar(byte b) => ByteToCharTable[b];

    /// <summary>The byte a byte-level character stands for, or -1 when <paramref name="c"/> is not one of the 256.</summary>
    public static int ToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static byte[] BuildOrder()
    {
        var order = new List<byte>(256);
        for (var b = 0; b < 256; b++)
        {
            if (IsPrintable(b))
            {
                order.Add((byte)b);
            }
        }

        for (var b = 0; b < 256; b++)
        {
            if (!IsPrintable(b))
            {
                order.Add((byte)b);
            }
        }

        return [.. order];
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            map[b] = IsPrintable(b) ? (char)b : (char)(256 + next++);
        }

        return map;
    }

    private static int[] BuildCharToByte(char[] byteToChar)
    {
        var table = new int[256 + 68];
        Array.Fill(table, -1);
        for (var b = 0; b < 256; b++)
        {
            table[byteToChar[b]] = b;
        }

        return table;
    }
}
