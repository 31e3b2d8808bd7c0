namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>The CRC-32 of PNG chunks (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320), as in the PNG specification's annex D.</summary>
internal static class PngCrc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>Computes the CRC over <paramref name="data"/> starting from the running value <paramref name="crc"/> (0 to start).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        foreach (var b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
