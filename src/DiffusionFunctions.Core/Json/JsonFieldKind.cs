namespace DiffusionFunctions.Core.Json;

/// <summary>The JSON value a field of a strictly read object must hold (see <see cref="JsonFieldReader"/>).</summary>
public enum JsonFieldKind
{
    /// <summary>A string.</summary>
    String,

    /// <summary>An array of non-blank strings (trimmed), no longer than the reader's list limit.</summary>
    StringList,

    /// <summary>An integer that fits in 32 bits.</summary>
    Int32,

    /// <summary>An integer that fits in 64 bits (a seed; its range is the validator's).</summary>
    Seed,

    /// <summary>A finite number.</summary>
    Number,
}
