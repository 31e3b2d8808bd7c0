namespace DiffusionFunctions.Worker.Processing;

/// <summary>What one delivery of a generation message did. Every outcome completes the message; transient failures throw instead.</summary>
public enum JobProcessingOutcome
{
    /// <summary>The images were written and the job marked succeeded.</summary>
    Succeeded,

    /// <summary>The job can never succeed and was marked failed.</summary>
    Failed,

    /// <summary>The client cancelled the job; it was marked cancelled with no images.</summary>
    Cancelled,

    /// <summary>The job was already finished (a duplicate delivery); nothing was generated again.</summary>
    AlreadyFinished,

    /// <summary>The message was unreadable, its job does not exist, or its job record is corrupt; it was dropped.</summary>
    Discarded,
}
