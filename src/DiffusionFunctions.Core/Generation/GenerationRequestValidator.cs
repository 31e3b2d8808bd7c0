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
        => Validate(request, hasInitImage, hasMask, _options, null, null);

    /// <summary>
    /// Validates <paramref name="request"/> for <paramref name="model"/>: its size and steps ranges, its pinned defaults
    /// and its modes (<c>DiffusionFunctions:Models:&lt;name&gt;</c>) instead of the deployment's; the parameters carry its name.
    /// Which model the request names is resolved before (an unknown name never gets here).
    /// </summary>
    public GenerationValidationResult Validate(GenerationRequest request, bool hasInitImage, bool hasMask, Routing.DeployedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Validate(request, hasInitImage, hasMask, model.Generation, model.Modes, model.Name);
    }

    private GenerationValidationResult Validate(
        GenerationRequest request, bool hasInitImage, bool hasMask, GenerationOptions o, IReadOnlyList<GenerationMode>? modes, string? modelName)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        CheckControlCharacters(errors, "prompt", request.Prompt);
        CheckControlCharacters(errors, "negativePrompt", request.NegativePrompt);
        CheckControlCharacters(errors, "scheduler", request.Scheduler);
        CheckControlCharacters(errors, "mode", request.Mode);
        CheckControlCharacters(errors, "initImage", request.InitImage);
        CheckControlCharacters(errors, "mask", request.Mask);
        CheckControlCharacters(errors, "callbackUrl", request.CallbackUrl);
        CheckControlCharacters(errors, "model", request.Model);

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            errors.Add("prompt", "prompt is required and must not be blank.");
        }
        else if (request.Prompt.Length > o.MaxPromptLength)
        {
            errors.Add("prompt", $"prompt must be at most {o.MaxPromptLength} characters, got {request.Prompt.Length}.");
        }
        else if (ComposablePromptSyntax.IsUsedIn(request.Prompt))
        {
            errors.Add("prompt", "prompt uses AND (composable diffusion: several prompts combined in the guidance step), which is not supported; " +
                "write one prompt, or 'and' in lower case for the word.");
        }

        if (request.NegativePrompt is { Length: var negativeLength } && negativeLength > o.MaxPromptLength)
        {
            errors.Add("negativePrompt", $"negativePrompt must be at most {o.MaxPromptLength} characters, got {negativeLength}.");
        }

        var width = CheckSize(errors, "width", request.Width, o.DefaultWidth, o);
        var height = CheckSize(errors, "height", request.Height, o.DefaultHeight, o);

        var steps = request.Steps ?? o.DefaultSteps;
        if (steps is { } givenSteps && (givenSteps < o.MinSteps || givenSteps > o.MaxSteps))
        {
            errors.Add("steps", $"steps must be between {o.MinSteps} and {o.MaxSteps}, got {steps}.");
        }

        var guidance = request.GuidanceScale ?? o.DefaultGuidanceScale;
        if (guidance is { } givenGuidance && (!double.IsFinite(givenGuidance) || givenGuidance < o.MinGuidanceScale || givenGuidance > o.MaxGuidanceScale))
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
            errors.Add("scheduler", $"scheduler '{ValidationErrors.Quote(request.Scheduler)}' is unknown; use one of: {string.Join(", ", SchedulerNames.All)}.");
        }

        var count = request.Count ?? 1;
        if (count < 1 || count > o.MaxCount)
        {
            errors.Add("count", $"count must be between 1 and {o.MaxCount}, got {count}.");
        }

        var mode = CheckMode(errors, request, hasInitImage, hasMask);
        if (modes is not null && !errors.Contains("mode") && !modes.Contains(mode))
        {
            var serves = modelName is null ? "This deployment's model" : $"Model '{modelName}'";
            errors.Add("mode", $"{serves} does not support mode {GenerationModeNames.ToName(mode)}; it supports: {string.Join(", ", modes.Select(GenerationModeNames.ToName))}.");
        }

        double? strength = null;
        if (mode is GenerationMode.ImageToImage or GenerationMode.Inpaint)
        {
            strength = request.Strength ?? o.DefaultStrength;
            if (!(strength > 0 && strength <= 1))
            {
                errors.Add("strength", string.Create(CultureInfo.InvariantCulture,
                    $"strength must be greater than 0 and at most 1, got {strength}."));
            }
            else if (steps is { } knownSteps && !errors.Contains("steps") && (int)(knownSteps * strength.Value) < 1)
            {
                // The engine keeps int(steps × strength) denoising steps (diffusers' get_timesteps); 0 leaves nothing to run.
                errors.Add("strength", string.Create(CultureInfo.InvariantCulture,
                    $"strength {strength} with steps {knownSteps} leaves no denoising step (int(steps × strength) = 0); raise steps or strength."));
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
            Scheduler = request.Scheduler ?? o.PinnedScheduler,
            Count = count,
            Mode = mode,
            Strength = strength,
            CallbackUrl = request.CallbackUrl,
            Model = modelName,
        });
    }

    /// <summary>A uniformly random seed in [0, <see cref="MaxSeed"/>].</summary>
    public static long PickSeed()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt32(bytes);
    }

    /// <summary>
    /// Refuses C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F) other than tab, line feed and carriage
    /// return: they have no place in a prompt or a name, and NUL or ESC in stored text and logs is a hazard.
    /// </summary>
    private static void CheckControlCharacters(ValidationErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                errors.Add(field, string.Create(CultureInfo.InvariantCulture,
                    $"{field} must not contain control characters; found U+{(int)c:X4} at position {i}."));
                return;
            }
        }
    }

    private static int? CheckSize(ValidationErrors errors, string field, int? value, int? fallback, GenerationOptions o)
    {
        if ((value ?? fallback) is not { } size)
        {
            return null;
        }

        if (size < o.MinSize || size > o.MaxSize)
        {
            errors.Add(field, $"{field} must be between {o.MinSize} and {o.MaxSize}, got {size}.");
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
            errors.Add("mode", $"mode '{ValidationErrors.Quote(request.Mode)}' is unknown; use one of: {string.Join(", ", GenerationModeNames.All)}.");
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

    /// <summary>
    /// Checks a callback URL given outside a generation request (a workflow's <c>callbackUrl</c>) with the same rules;
    /// errors are keyed <c>callbackUrl</c>.
    /// </summary>
    public ValidationErrors ValidateCallbackUrl(string? callbackUrl)
    {
        var errors = new ValidationErrors();
        CheckControlCharacters(errors, "callbackUrl", callbackUrl);
        if (errors.IsEmpty)
        {
            CheckCallbackUrl(errors, callbackUrl);
        }

        return errors;
    }

    private void CheckCallbackUrl(ValidationErrors errors, string? callbackUrl)
    {
        if (callbackUrl is null)
        {
            return;
        }

        if (!_options.CallbacksEnabled)
        {
            errors.Add("callbackUrl", "This deployment does not send webhooks: omit callbackUrl and poll the job's Location URL instead.");
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
        else if (!_options.AllowPrivateCallbackHosts && IsPrivateHost(uri))
        {
            errors.Add("callbackUrl", "callbackUrl must not point at localhost or at a loopback, private or link-local address.");
        }
    }

    /// <summary>
    /// True for <c>localhost</c> (and <c>*.localhost</c>) and for literal IP addresses that are not public (see
    /// <see cref="Notifications.CallbackAddressPolicy"/>). Names are not resolved here: the worker checks the resolved
    /// addresses when it connects.
    /// </summary>
    private static bool IsPrivateHost(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address)
            && !Notifications.CallbackAddressPolicy.IsPublic(address);
    }
}

/// <summary>The outcome of <c>GenerationRequestValidator.Validate</c>: parameters, or errors.</summary>
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
