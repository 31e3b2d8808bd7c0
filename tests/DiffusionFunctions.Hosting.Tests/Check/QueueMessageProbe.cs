using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>Where one message the check sent stands, as its sender can tell from the queue service alone.</summary>
public enum QueuedMessageState
{
    /// <summary>Visible, never received: nothing has looked at it yet.</summary>
    Waiting,

    /// <summary>Received by someone and not deleted: invisible under another pop receipt (being handled, or left there).</summary>
    Received,

    /// <summary>Gone from its queue (completed, or moved to another queue).</summary>
    Deleted,
}

/// <summary>
/// Tells a sent message's state from its id and the pop receipt its send returned: an update with that receipt succeeds
/// while nobody has received the message (it is then made visible again at once, which changes nothing), fails with 400
/// <c>PopReceiptMismatch</c> once someone has, and with 404 <c>MessageNotFound</c> once it is deleted.
/// </summary>
public sealed class QueueMessageProbe(QueueClient queue, SendReceipt sent)
{
    private string _popReceipt = sent.PopReceipt;

    /// <summary>The queue the message was sent to.</summary>
    public string QueueName => queue.Name;

    /// <summary>Reads the state.</summary>
    public async Task<QueuedMessageState> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var updated = await queue.UpdateMessageAsync(sent.MessageId, _popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
            _popReceipt = updated.Value.PopReceipt;
            return QueuedMessageState.Waiting;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return QueuedMessageState.Deleted;
        }
        catch (RequestFailedException ex) when (ex.Status == 400 && ex.ErrorCode == QueueErrorCode.PopReceiptMismatch)
        {
            return QueuedMessageState.Received;
        }
    }
}
