using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Worker.Functions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Hosting;

/// <summary>
/// Drives the worker's queue functions without the Functions host (the in-process local runner, where Core Tools are not
/// installed): receives one message at a time from the generation queue and calls <see cref="ProcessGenerationFunction"/>
/// with it, exactly as the host's queue trigger does with <c>batchSize</c> 1. Like the host it deletes the message when
/// the function returns, makes it visible again after <see cref="InProcessQueueListenerOptions.RetryDelay"/> when it throws,
/// and moves it to <c>{queue}-poison</c> after <see cref="WorkerOptions.MaxDequeueCount"/> failed deliveries; poison messages
/// go to <see cref="GenerationPoisonFunction"/>.
/// </summary>
public sealed class InProcessQueueListener
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly ProcessGenerationFunction _process;
    private readonly GenerationPoisonFunction _poisonHandler;
    private readonly InProcessQueueListenerOptions _options;
    private readonly int _maxDequeueCount;
    private readonly TimeProvider _time;
    private readonly ILogger<InProcessQueueListener> _logger;

    /// <summary>Creates the listener over the queues named in <paramref name="storage"/>.</summary>
    public InProcessQueueListener(
        QueueServiceClient queueService,
        IOptions<DiffusionStorageOptions> storage,
        IOptions<WorkerOptions> worker,
        ProcessGenerationFunction process,
        GenerationPoisonFunction poisonHandler,
        InProcessQueueListenerOptions options,
        TimeProvider time,
        ILogger<InProcessQueueListener> logger)
    {
        ArgumentNullException.ThrowIfNull(queueService);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(worker);
        _queue = queueService.GetQueueClient(storage.Value.GenerationQueue);
        _poison = queueService.GetQueueClient(storage.Value.PoisonQueue);
        _process = process;
        _poisonHandler = poisonHandler;
        _options = options;
        _maxDequeueCount = worker.Value.MaxDequeueCount;
        _time = time;
        _logger = logger;
    }

    /// <summary>Polls both queues until <paramref name="cancellationToken"/> is cancelled, backing off to the polling interval when idle.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idleDelay = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (worked)
            {
                idleDelay = TimeSpan.FromMilliseconds(100);
                continue;
            }

            try
            {
                await Task.Delay(idleDelay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, _options.MaxPollingInterval.Ticks));
        }
    }

    /// <summary>Handles at most one generation message and one poison message; true when there was one.</summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var generation = await PollGenerationOnceAsync(cancellationToken).ConfigureAwait(false);
        var poison = await PollPoisonOnceAsync(cancellationToken).ConfigureAwait(false);
        return generation || poison;
    }

    /// <summary>Delivers at most one generation message to <see cref="ProcessGenerationFunction"/>; true when there was one.</summary>
    public async Task<bool> PollGenerationOnceAsync(CancellationToken cancellationToken)
    {
        var message = (await _queue.ReceiveMessageAsync(_options.Lease, cancellationToken).ConfigureAwait(false)).Value;
        if (message is null)
        {
            return false;
        }

        await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Delivers at most one poison message to <see cref="GenerationPoisonFunction"/>; true when there was one.</summary>
    public async Task<bool> PollPoisonOnceAsync(CancellationToken cancellationToken)
    {
        var poisoned = (await _poison.ReceiveMessageAsync(_options.Lease, cancellationToken).ConfigureAwait(false)).Value;
        if (poisoned is null)
        {
            return false;
        }

        await _poisonHandler.FailPoisonedGeneration(poisoned, cancellationToken).ConfigureAwait(false);
        await _poison.DeleteMessageAsync(poisoned.MessageId, poisoned.PopReceipt, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task DeliverAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await _process.ProcessGeneration(message, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Message {MessageId}: {Outcome}", message.MessageId, outcome);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= _maxDequeueCount)
            {
                _logger.LogError(ex, "Message {MessageId} failed delivery {DequeueCount} of {Max}; moving it to {Poison}",
                    message.MessageId, message.DequeueCount, _maxDequeueCount, _poison.Name);
                await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _logger.LogWarning(ex, "Message {MessageId} failed delivery {DequeueCount} of {Max}; retrying after {Delay}",
                    message.MessageId, message.DequeueCount, _maxDequeueCount, _options.RetryDelay);
                await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }
}
