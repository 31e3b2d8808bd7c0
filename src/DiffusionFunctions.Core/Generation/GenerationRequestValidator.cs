using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// Checks a <see cref="GenerationRequest"/> against <see cref="GenerationOptions"/> and resolves the parameters a job
/// runs with (defaults, a picked seed). Image content is checked separately (<see cref="Images.InputImageInspector"/>);
/// here only whether the mode's images are present.
/// </summary>
public sealed class GenerationRequestValidator(IOptions<GenerationOptions> options)
{
    /// <summary>Largest accepted seed (seeds are unsigned 32-bit values).</summary>
    public const long MaxSeed = uint.MaxValue;

    private readonly GenerationOptions _options = options.Value;

    /// <summary>
    /// Validates <paramref name="request"/>. <paramref name="hasInitImage"/> and <paramref name="hasMask"/> say whether
    /// the images were supplied (as base64 fields or multipart parts).
    /// </summary>
    /// <returns>The resolved parameters (image blob names not yet set), or the per-field errors.</returns>
    public GenerationValidationResult Validate(GenerationRequest request, bool hasInitImage, bool hasMask)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = _options;
        var errors = new ValidationErrors();

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            errors.Add("prompt", "prompt is required and must not be blank.");
        }
        else if (request.Prompt.Length > o.MaxPromptLength)
        {
            errors.Add("prompt", $"prompt must be at most {o.MaxPromptLength} characters, got {request.Prompt.Length}.");
        }

        if (request.NegativePrompt is { Length: var negativeLength } && negativeLength > o.MaxPromptLength)
        {
            errors.Add("negativePrompt", $"negativePrompt must be at most {o.MaxPromptLength} characters, got {negativeLength}.");
        }

        var width = CheckSize(errors, "width", request.Width, o.DefaultWidth);
        var height = CheckSize(errors, "height", request.Height, o.DefaultHeight);

        var steps = request.Steps ?? o.DefaultSteps;
        if (steps < o.MinSteps || steps > o.MaxSteps)
        {
            errors.Add("steps", $"steps must be between {o.MinSteps} and {o.MaxSteps}, got {steps}.");
        }

        var guidance = request.GuidanceScale ?? o.DefaultGuidanceScale;
        if (!double.IsFinite(guidance) || guidance < o.MinGuidanceScale || guidance > o.MaxGuidanceScale)
        {
            errors.Add("guidanceScale", string.Create(CultureInfo.InvariantCulture,
                $"guidanceScale must be between {o.MinGuidanceScale} and {o.MaxGuidanceScale}, got {guidance}."));
        }

        if (request.Seed is { } givenSeed && (givenSeed < 0 || givenSeed > MaxSeed))
        {
            errors.Add("seed", $"seed must be between 0 and {MaxSeed}, got {givenSeed}.");
        }

        if (request.Scheduler is not null && !SchedulerNames.IsKnown(request.Scheduler))
        {
            errors.Add("scheduler", $"scheduler '{request.Scheduler}' is unknown; use one of: {string.Join(", ", SchedulerNames.All)}.");
        }

        var count = request.Count ?? 1;
        if (count < 1 || count > o.MaxCount)
        {
            errors.Add("count", $"count must be between 1 and {o.MaxCount}, got {count}.");
        }

        var mode = CheckMode(errors, request, hasInitImage, hasMask);

        double? strength = null;
        if (mode is GenerationMode.ImageToImage or GenerationMode.Inpaint)
        {
            strength = request.Strength ?? o.DefaultStrength;
            if (!(strength > 0 && strength <= 1))
            {
                errors.Add("strength", string.Create(CultureInfo.InvariantCulture,
                    $"strength must be greater than 0 and at most 1, got {strength}."));
            }
            else if (!errors.Contains("steps") && (int)(steps * strength.Value) < 1)
            {
                // The engine keeps int(steps × strength) denoising steps (diffusers' get_timesteps); 0 leaves nothing to run.
                errors.Add("strength", string.Create(CultureInfo.InvariantCulture,
                    $"strength {strength} with steps {steps} leaves no denoising step (int(steps × strength) = 0); raise steps or strength."));
            }
        }
        else if (request.Strength is not null && !errors.Contains("mode"))
        {
            errors.Add("strength", "strength applies only to img2img and inpaint requests.");
        }

        CheckCallbackUrl(errors, request.CallbackUrl);

        if (!errors.IsEmpty)
        {
            return GenerationValidationResult.Invalid(errors);
        }

        return GenerationValidationResult.Valid(new GenerationParameters
        {
            Prompt = request.Prompt!,
            NegativePrompt = string.IsNullOrEmpty(request.NegativePrompt) ? null : request.NegativePrompt,
            Width = width,
            Height = height,
            Steps = steps,
            GuidanceScale = guidance,
            Seed = request.Seed ?? PickSeed(),
            Scheduler = request.Scheduler,
            Count = count,
            Mode = mode,
            Strength = strength,
            CallbackUrl = request.CallbackUrl,
        });
    }

    /// <summary>A uniformly random seed in [0, <see cref="MaxSeed"/>].</summary>
    public static long PickSeed()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt32(bytes);
    }

    private int CheckSize(ValidationErrors errors, string field, int? value, int fallback)
    {
        var size = value ?? fallback;
        if (size < _options.MinSize || size > _options.MaxSize)
        {
            errors.Add(field, $"{field} must be between {_options.MinSize} and {_options.MaxSize}, got {size}.");
        }
        else if (size % 8 != 0)
        {
            errors.Add(field, $"{field} must be a multiple of 8, got {size}.");
        }

        return size;
    }

    private static GenerationMode CheckMode(ValidationErrors errors, GenerationRequest request, bool hasInitImage, bool hasMask)
    {
        GenerationMode mode;
        if (request.Mode is null)
        {
            mode = hasMask ? GenerationMode.Inpaint : hasInitImage ? GenerationMode.ImageToImage : GenerationMode.TextToImage;
        }
        else if (!GenerationModeNames.TryParse(request.Mode, out mode))
        {
            errors.Add("mode", $"mode '{request.Mode}' is unknown; use one of: {string.Join(", ", GenerationModeNames.All)}.");
            return GenerationMode.TextToImage;
        }

        switch (mode)
        {
            case GenerationMode.TextToImage:
                if (hasInitImage)
                {
                    errors.Add("initImage", "initImage is only accepted with mode img2img or inpaint.");
                }

                if (hasMask)
                {
                    errors.Add("mask", "mask is only accepted with mode inpaint.");
                }

                break;
            case GenerationMode.ImageToImage:
                if (!hasInitImage)
                {
                    errors.Add("initImage", "initImage is required for mode img2img.");
                }

                if (hasMask)
                {
                    errors.Add("mask", "mask is only accepted with mode inpaint.");
                }

                break;
            case GenerationMode.Inpaint:
                if (!hasInitImage)
                {
                    errors.Add("initImage", "initImage is required for mode inpaint.");
                }

                if (!hasMask)
                {
                    errors.Add("mask", "mask is required for mode inpaint.");
                }

                break;
        }

        return mode;
    }

    private void CheckCallbackUrl(ValidationErrors errors, string? callbackUrl)
    {
        if (callbackUrl is null)
        {
            return;
        }

        if (callbackUrl.Length > 2048 || !Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri))
        {
            errors.Add("callbackUrl", "callbackUrl must be an absolute URL of at most 2048 characters.");
            return;
        }

        var httpAllowed = _options.AllowInsecureCallbacks && uri.Scheme == Uri.UriSchemeHttp;
        if (uri.Scheme != Uri.UriSchemeHttps && !httpAllowed)
        {
            errors.Add("callbackUrl", _options.AllowInsecureCallbacks
                ? $"callbackUrl must use https or http, got '{uri.Scheme}'."
                : $"callbackUrl must use https, got '{uri.Scheme}'.");
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add("callbackUrl", "callbackUrl must not contain user information (user:password@).");
        }
        else if (!string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add("callbackUrl", "callbackUrl must not contain a fragment (#...).");
        }
    }
}

/// <summary>The outcome of <see cref="GenerationRequestValidator.Validate"/>: parameters, or errors.</summary>
public sealed class GenerationValidationResult
{
    private GenerationValidationResult(GenerationParameters? parameters, ValidationErrors? errors)
    {
        Parameters = parameters;
        Errors = errors ?? new ValidationErrors();
    }

    /// <summary>The resolved parameters when valid.</summary>
    public GenerationParameters? Parameters { get; }

    /// <summary>Per-field errors (empty when valid).</summary>
    public ValidationErrors Errors { get; }

    /// <summary>True when <see cref="Parameters"/> is set.</summary>
    public bool IsValid => Parameters is not null;

    internal static GenerationValidationResult Valid(GenerationParameters parameters) => new(parameters, null);

    internal static GenerationValidationResult Invalid(ValidationErrors errors) => new(null, errors);
}
