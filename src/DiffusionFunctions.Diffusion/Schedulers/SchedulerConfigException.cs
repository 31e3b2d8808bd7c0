namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>A <c>scheduler_config.json</c> value that is missing its expected type or outside the values a sampler supports.</summary>
public sealed class SchedulerConfigException : FormatException
{
    /// <summary>Creates the exception for the config key <paramref name="key"/>.</summary>
    public SchedulerConfigException(string key, string message)
        : base($"scheduler config '{key}': {message}")
    {
        Key = key;
    }

    /// <summary>Creates an exception without a key.</summary>
    public SchedulerConfigException()
        : this("(unknown)", "invalid value")
    {
    }

    /// <summary>Creates an exception without a key.</summary>
    public SchedulerConfigException(string message)
        : this("(unknown)", message)
    {
    }

    /// <summary>Creates an exception without a key, wrapping <paramref name="innerException"/>.</summary>
    public SchedulerConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "(unknown)";
    }

    /// <summary>The JSON key whose value was rejected (diffusers spelling, e.g. <c>beta_schedule</c>).</summary>
    public string Key { get; }
}
