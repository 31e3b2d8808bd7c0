namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// Bounds and defaults for generation requests. Bound from <c>DiffusionFunctions:Generation</c>;
/// validated at start-up by <see cref="GenerationOptionsValidator"/>.
/// </summary>
public sealed class GenerationOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Generation";

    /// <summary>Smallest width or height in pixels (a multiple of 8).</summary>
    public int MinSize { get; set; } = 64;

    /// <summary>Largest width or height in pixels (a multiple of 8).</summary>
    public int MaxSize { get; set; } = 1024;

    /// <summary>Width used when the request gives none; unset (the default) leaves it to the model (unet <c>sample_size</c> × 8).</summary>
    public int? DefaultWidth { get; set; }

    /// <summary>Height used when the request gives none; unset (the default) leaves it to the model.</summary>
    public int? DefaultHeight { get; set; }

    /// <summary>Fewest denoising steps accepted.</summary>
    public int MinSteps { get; set; } = 1;

    /// <summary>Most denoising steps accepted.</summary>
    public int MaxSteps { get; set; } = 150;

    /// <summary>Steps used when the request gives none; unset (the default) leaves it to the engine (25).</summary>
    public int? DefaultSteps { get; set; }

    /// <summary>Smallest classifier-free guidance scale accepted.</summary>
    public double MinGuidanceScale { get; set; }

    /// <summary>Largest classifier-free guidance scale accepted.</summary>
    public double MaxGuidanceScale { get; set; } = 30;

    /// <summary>
    /// Guidance scale used when the request gives none; unset (the default) leaves it to the model
    /// (<c>generation_config.json</c>'s <c>guidance_scale</c>, else 7.5).
    /// </summary>
    public double? DefaultGuidanceScale { get; set; }

    /// <summary>Scheduler used when the request gives none; unset (the default) leaves it to the model folder (<c>scheduler_config.json</c>).</summary>
    public string? DefaultScheduler { get; set; }

    /// <summary><see cref="DefaultScheduler"/> when it names one (an empty setting counts as unset).</summary>
    public string? PinnedScheduler => string.IsNullOrEmpty(DefaultScheduler) ? null : DefaultScheduler;

    /// <summary>Most images one request may ask for.</summary>
    public int MaxCount { get; set; } = 4;

    /// <summary>img2img / inpaint strength used when the request gives none (0 &lt; strength &lt;= 1).</summary>
    public double DefaultStrength { get; set; } = 0.75;

    /// <summary>Longest prompt or negative prompt, in characters.</summary>
    public int MaxPromptLength { get; set; } = 2000;

    /// <summary>Largest init image or mask, in bytes (after base64 decoding).</summary>
    public int MaxInputImageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest init image or mask, in pixels (width × height read from the image header).</summary>
    public long MaxInputImagePixels { get; set; } = 2048L * 2048L;

    /// <summary>Allow <c>http://</c> callback URLs (local development only); <c>https://</c> is always required otherwise.</summary>
    public bool AllowInsecureCallbacks { get; set; }

    /// <summary>
    /// Accept <c>callbackUrl</c> (default off). Turn it on only where the worker has a webhook secret
    /// (<c>DiffusionFunctions:Events:WebhookSecret</c>; the cloud template sets both together): without one the worker
    /// cannot sign, so never sends, and a client's callback would be accepted and silently never called. Off, a request
    /// with a <c>callbackUrl</c> gets a 400 naming the field.
    /// </summary>
    public bool CallbacksEnabled { get; set; }

    /// <summary>
    /// Accept callback URLs whose host is <c>localhost</c> or a literal loopback, private or link-local address (local
    /// development only). Off, the API refuses them with a 400 before anything is stored; the worker's connect-time check
    /// (<c>DiffusionFunctions:Events:AllowPrivateCallbackAddresses</c>) stays the real guard for names that resolve to such
    /// addresses.
    /// </summary>
    public bool AllowPrivateCallbackHosts { get; set; }

    /// <summary>A copy (the model list builds each model's effective options from these, with its own ranges and defaults).</summary>
    public GenerationOptions Clone() => (GenerationOptions)MemberwiseClone();
}
