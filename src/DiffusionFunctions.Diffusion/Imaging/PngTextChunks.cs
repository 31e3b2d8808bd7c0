using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>
/// Reads and writes PNG text chunks (<c>tEXt</c>, <c>iTXt</c>, and <c>zTXt</c> on reading) in already-encoded PNG bytes,
/// following the PNG specification (third edition, §11.3.3). Encoders do not expose arbitrary text chunks, so the chunk is
/// spliced into the byte stream before the first <c>IDAT</c>, with its CRC.
/// </summary>
public static class PngTextChunks
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>
    /// Returns a copy of <paramref name="png"/> with a text chunk <paramref name="keyword"/> = <paramref name="text"/>
    /// inserted before the first <c>IDAT</c>: <c>tEXt</c> when the text is Latin-1, otherwise an uncompressed UTF-8 <c>iTXt</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The keyword is not 1-79 printable Latin-1 characters, or the bytes are not a PNG.</exception>
    public static byte[] Insert(ReadOnlySpan<byte> png, string keyword, string text)
    {
        ValidateKeyword(keyword);
        ArgumentNullException.ThrowIfNull(text);
        var idatOffset = FindFirstChunk(png, "IDAT"u8);
        if (idatOffset < 0)
        {
            throw new ArgumentException("The bytes are not a PNG with an IDAT chunk.", nameof(png));
        }

        var chunk = IsLatin1(text) ? BuildTextChunk(keyword, text) : BuildInternationalTextChunk(keyword, text);
        var result = new byte[png.Length + chunk.Length];
        png[..idatOffset].CopyTo(result);
        chunk.CopyTo(result.AsSpan(idatOffset));
        png[idatOffset..].CopyTo(result.AsSpan(idatOffset + chunk.Length));
        return result;
    }

    /// <summary>
    /// Returns the text of the first <c>tEXt</c>, <c>iTXt</c> or <c>zTXt</c> chunk named <paramref name="keyword"/>, or
    /// <see langword="null"/> when there is none. Chunks with a bad CRC are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The bytes are not a PNG.</exception>
    public static string? Read(ReadOnlySpan<byte> png, string keyword)
    {
        ValidateKeyword(keyword);
        if (!png.StartsWith(Signature))
        {
            throw new ArgumentException("The bytes are not a PNG (bad signature).", nameof(png));
        }

        var offset = Signature.Length;
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > int.MaxValue || offset + 12 + (long)length > png.Length)
            {
                return null;
            }

            var type = png.Slice(offset + 4, 4);
            var data = png.Slice(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (PngCrc32.Append(PngCrc32.Append(0, type), data) == crc)
            {
                var found = TryDecode(type, data, keyword);
                if (found is not null)
                {
                    return found;
                }
            }

            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            offset += 12 + (int)length;
        }

        return null;
    }

    private static string? TryDecode(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data, string keyword)
    {
        var nul = data.IndexOf((byte)0);
        if (nul <= 0 || Latin1.GetString(data[..nul]) != keyword)
        {
            return null;
        }

        var rest = data[(nul + 1)..];
        if (type.SequenceEqual("tEXt"u8))
        {
            return Latin1.GetString(rest);
        }

        if (type.SequenceEqual("zTXt"u8) && rest.Length >= 1 && rest[0] == 0)
        {
            return Latin1.GetString(Inflate(rest[1..]));
        }

        if (type.SequenceEqual("iTXt"u8) && rest.Length >= 2)
        {
            var compressed = rest[0] == 1;
            var afterFlags = rest[2..];
            var languageEnd = afterFlags.IndexOf((byte)0);
            if (languageEnd < 0)
            {
                return null;
            }

            var afterLanguage = afterFlags[(languageEnd + 1)..];
            var translatedEnd = afterLanguage.IndexOf((byte)0);
            if (translatedEnd < 0)
            {
                return null;
            }

            var body = afterLanguage[(translatedEnd + 1)..];
            return Encoding.UTF8.GetString(compressed ? Inflate(body) : body);
        }

        return null;
    }

    private static byte[] Inflate(ReadOnlySpan<byte> zlib)
    {
        using var input = new MemoryStream(zlib.ToArray());
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] BuildTextChunk(string keyword, string text)
    {
        var body = new byte[keyword.Length + 1 + Latin1.GetByteCount(text)];
        Latin1.GetBytes(keyword, body);
        Latin1.GetBytes(text, body.AsSpan(keyword.Length + 1));
        return BuildChunk("tEXt"u8, body);
    }

    // iTXt: keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text.
    private static byte[] BuildInternationalTextChunk(string keyword, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var body = new byte[keyword.Length + 5 + utf8.Length];
        Latin1.GetBytes(keyword, body);
        utf8.CopyTo(body, keyword.Length + 5);
        return BuildChunk("iTXt"u8, body);
    }

    private static byte[] BuildChunk(ReadOnlySpan<byte> type, ReadOnlySpan<byte> body)
    {
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        type.CopyTo(chunk.AsSpan(4));
        body.CopyTo(chunk.AsSpan(8));
        var crc = PngCrc32.Append(0, chunk.AsSpan(4, 4 + body.Length));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), crc);
        return chunk;
    }

    private static int FindFirstChunk(ReadOnlySpan<byte> png, ReadOnlySpan<byte> wanted)
    {
        if (!png.StartsWith(Signature))
        {
            return -1;
        }

        var offset = Signature.Length;
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (png.Slice(offset + 4, 4).SequenceEqual(wanted))
            {
                return offset;
            }

            if (length > int.MaxValue - 12 || offset + 12 + (long)length > png.Length)
            {
                return -1;
            }

            offset += 12 + (int)length;
        }

        return -1;
    }

    private static bool IsLatin1(string text)
    {
        foreach (var c in text)
        {
            if (c > 0xFF)
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidateKeyword(string keyword)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyword);
        if (keyword.Length > 79 || keyword.Any(c => c < 0x20 || c > 0xFF || c is (char)0x7F)
            || keyword[0] == ' ' || keyword[^1] == ' ')
        {
            throw new ArgumentException("A PNG text keyword is 1-79 printable Latin-1 characters without leading or trailing spaces.", nameof(keyword));
        }
    }
}
