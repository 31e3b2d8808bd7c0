using System.Buffers.Binary;

namespace DiffusionFunctions.Core.Images;

/// <summary>The input image formats the API accepts.</summary>
public enum InputImageFormat
{
    /// <summary>PNG.</summary>
    Png,

    /// <summary>JPEG (baseline or progressive).</summary>
    Jpeg,

    /// <summary>WebP (lossy VP8, lossless VP8L or extended VP8X).</summary>
    WebP,
}

/// <summary>What the header of an image says: its format and pixel size.</summary>
/// <param name="Format">The container format found by its magic bytes.</param>
/// <param name="Width">Width in pixels from the header.</param>
/// <param name="Height">Height in pixels from the header.</param>
public readonly record struct ImageHeader(InputImageFormat Format, int Width, int Height)
{
    /// <summary>Width × height.</summary>
    public long PixelCount => (long)Width * Height;

    /// <summary>The MIME type of <see cref="Format"/>.</summary>
    public string ContentType => Format switch
    {
        InputImageFormat.Png => "image/png",
        InputImageFormat.Jpeg => "image/jpeg",
        _ => "image/webp",
    };

    /// <summary>The file extension of <see cref="Format"/>, without the dot.</summary>
    public string Extension => Format switch
    {
        InputImageFormat.Png => "png",
        InputImageFormat.Jpeg => "jpg",
        _ => "webp",
    };
}

/// <summary>
/// Reads the format and dimensions of PNG, JPEG and WebP images from their headers alone, without decoding pixels,
/// so size limits are enforced before any decoder sees the data.
/// </summary>
public static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>True when <paramref name="data"/> starts like a PNG, JPEG or WebP file (magic bytes only).</summary>
    public static bool TryDetectFormat(ReadOnlySpan<byte> data, out InputImageFormat format)
    {
        if (data.StartsWith(PngSignature))
        {
            format = InputImageFormat.Png;
            return true;
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            format = InputImageFormat.Jpeg;
            return true;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            format = InputImageFormat.WebP;
            return true;
        }

        format = default;
        return false;
    }

    /// <summary>
    /// Reads the header of <paramref name="data"/>. False when the format is recognised but the header is truncated
    /// or inconsistent, or the format is not one of <see cref="InputImageFormat"/> (check with <see cref="TryDetectFormat"/>).
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out ImageHeader header)
    {
        header = default;
        if (!TryDetectFormat(data, out var format))
        {
            return false;
        }

        var ok = format switch
        {
            InputImageFormat.Png => TryReadPng(data, out var w, out var h) && Set(out header, format, w, h),
            InputImageFormat.Jpeg => TryReadJpeg(data, out var w, out var h) && Set(out header, format, w, h),
            _ => TryReadWebP(data, out var w, out var h) && Set(out header, format, w, h),
        };
        return ok && header.Width > 0 && header.Height > 0;
    }

    private static bool Set(out ImageHeader header, InputImageFormat format, int width, int height)
    {
        header = new ImageHeader(format, width, height);
        return true;
    }

    // PNG: signature, then the IHDR chunk first: length (4, = 13), "IHDR", width (4, big-endian), height (4, big-endian).
    private static bool TryReadPng(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        if (data.Length < 33 || BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var w = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var h = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        if (w > int.MaxValue || h > int.MaxValue)
        {
            return false;
        }

        width = (int)w;
        height = (int)h;
        return true;
    }

    // JPEG: walk the marker segments after SOI until a start-of-frame (SOF0-SOF15 except DHT C4, JPG C8, DAC CC):
    // FF Cn, length (2), precision (1), height (2), width (2), all big-endian.
    private static bool TryReadJpeg(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        var i = 2;
        while (i + 3 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                return false;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2; // standalone markers carry no length
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false; // end of image or start of scan before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (length < 2)
            {
                return false;
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > data.Length || length < 7)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                return true;
            }

            i += 2 + length;
        }

        return false;
    }

    // WebP: "RIFF" size "WEBP", then the first chunk: "VP8 " (lossy), "VP8L" (lossless) or "VP8X" (extended).
    private static bool TryReadWebP(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        if (data.Length < 30)
        {
            return false;
        }

        var chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Canvas width-1 and height-1 as 24-bit little-endian at offsets 24 and 27.
            width = 1 + (data[24] | (data[25] << 8) | (data[26] << 16));
            height = 1 + (data[27] | (data[28] << 8) | (data[29] << 16));
            return true;
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Signature 0x2F, then 14 bits width-1 and 14 bits height-1, little-endian bit order.
            if (data[20] != 0x2F)
            {
                return false;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            width = 1 + (int)(bits & 0x3FFF);
            height = 1 + (int)((bits >> 14) & 0x3FFF);
            return true;
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height (top 2 bits are scaling).
            if (data[23] != 0x9D || data[24] != 0x01 || data[25] != 0x2A)
            {
                return false;
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF;
            return true;
        }

        return false;
    }
}
