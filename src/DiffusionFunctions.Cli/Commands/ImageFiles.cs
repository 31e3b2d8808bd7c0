using System.Globalization;
using System.Text;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// Names and writes output images: <c>PROMPT-SLUG-SEED.png</c>, and when that file exists <c>PROMPT-SLUG-SEED-2.png</c>,
/// <c>-3</c> and so on, so an earlier image is never replaced unless <c>--overwrite</c> asks for it. A file is created with
/// <see cref="FileMode.CreateNew"/>, so two runs writing into one folder at once cannot replace each other's images either.
/// </summary>
public static class ImageFiles
{
    /// <summary>The longest slug taken from a prompt.</summary>
    public const int MaxSlugLength = 48;

    /// <summary>The file-name stem for <paramref name="prompt"/>: lower-case letters and digits joined by dashes, at most <see cref="MaxSlugLength"/> characters.</summary>
    public static string Slug(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var slug = new StringBuilder();
        foreach (var c in prompt.Normalize(NormalizationForm.FormKD).ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (char.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        if (text.Length > MaxSlugLength)
        {
            var cut = text.LastIndexOf('-', MaxSlugLength);
            text = text[..(cut > MaxSlugLength / 2 ? cut : MaxSlugLength)].Trim('-');
        }

        return text.Length == 0 ? "image" : text;
    }

    /// <summary>
    /// Writes <paramref name="png"/> into <paramref name="directory"/> under the first free name for the prompt and seed (or
    /// over <c>SLUG-SEED.png</c> when <paramref name="overwrite"/>); returns the full path written.
    /// </summary>
    public static async Task<string> WriteAsync(string directory, string prompt, long seed, byte[] png, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(png);
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(Path.GetFullPath(directory), string.Create(CultureInfo.InvariantCulture, $"{Slug(prompt)}-{seed}"));
        for (var counter = 1; ; counter++)
        {
            var path = counter == 1 ? stem + ".png" : string.Create(CultureInfo.InvariantCulture, $"{stem}-{counter}.png");
            if (!overwrite && File.Exists(path))
            {
                continue;
            }

            try
            {
                var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(png, cancellationToken).ConfigureAwait(false);
                }

                return path;
            }
            catch (IOException) when (!overwrite && File.Exists(path))
            {
                // Another process took this name between the check and the create: try the next counter.
            }
        }
    }
}
