using DiffusionFunctions.Core.Notifications;

namespace DiffusionFunctions.Worker.Webhooks;

/// <summary>A webhook was not sent because its host resolves only to addresses the <see cref="CallbackAddressPolicy"/> refuses.</summary>
public sealed class CallbackAddressRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CallbackAddressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CallbackAddressRefusedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CallbackAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
