namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// What a host does with a message on the poison queue (<c>{queue}-poison</c>) that is not valid base64: one that was
/// put there directly, or one that the host itself moved there from the generation queue because it could not decode
/// it (both hosts do that before any function runs).
/// </summary>
public enum UndecodablePoisonMessageHandling
{
    /// <summary>
    /// The Functions host (4.1037.0): a poison queue has no poison queue of its own, so the queue extension logs
    /// "Message decoding has failed" and leaves the message where it is, invisible for the receive's 10-minute lease,
    /// to come back and be left again; <c>FailPoisonedGeneration</c> never runs for it and no
    /// <c>{queue}-poison-poison</c> queue is created.
    /// </summary>
    LeftInPoisonQueue,

    /// <summary>The in-process listener of the local run: logged with its text and deleted.</summary>
    Deleted,
}
