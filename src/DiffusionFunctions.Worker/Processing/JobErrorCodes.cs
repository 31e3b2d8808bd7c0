namespace DiffusionFunctions.Worker.Processing;

/// <summary>The error codes the worker writes into failed job records.</summary>
public static class JobErrorCodes
{
    /// <summary>The request cannot be generated (unknown scheduler, invalid size, missing input image).</summary>
    public const string InvalidRequest = "invalid-request";

    /// <summary>The prompt matched the blocked-term policy at the worker's re-check.</summary>
    public const string PromptBlocked = "prompt-blocked";

    /// <summary>The job is for another model than the one this worker serves (it reached the wrong queue); no image is drawn.</summary>
    public const string WrongModel = "wrong-model";

    /// <summary>Every delivery failed; the message went to the poison queue.</summary>
    public const string RetriesExhausted = "retries-exhausted";
}
