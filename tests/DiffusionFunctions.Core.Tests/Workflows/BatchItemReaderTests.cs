using System.Text.Json;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Problems;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Core.Tests.Workflows;

/// <summary>Batch items are judged by the API's own validator and the real blocked-term policy (default policy document).</summary>
public sealed class BatchItemReaderTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly BatchItemReader _reader;
    private readonly string _runId = WorkflowIds.NewRunId();

    public BatchItemReaderTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["DiffusionFunctions:Batches:MaxLabelBytes"] = "64",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDiffusionCore(configuration).AddPromptPolicy(configuration).AddWorkflowItemValidation();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _reader = _services.GetRequiredService<BatchItemReader>();
    }

    [Fact]
    public void An_item_with_labels_is_accepted_with_its_labels_untouched_and_its_derived_job_id()
    {
        var item = _reader.ReadLine(_runId, 7, """{"prompt":"a red star","seed":5,"labels":{"sku":"A-1","tags":["x",{"y":null}],"n":1.50}}""");

        Assert.True(item.IsAccepted);
        Assert.Equal(WorkflowIds.JobIdFor(_runId, 7), item.JobId);
        Assert.Equal(5, item.Parameters!.Seed);
        Assert.Equal("""{"sku":"A-1","tags":["x",{"y":null}],"n":1.50}""", item.Labels!.Value.GetRawText());
    }

    [Theory]
    [InlineData("""{"prompt":"a nazi rally"}""", ProblemTypeUris.PolicyViolation, 422)]
    [InlineData("""{"prompt":"a red star","steps":0}""", ProblemTypeUris.Validation, 400)]
    [InlineData("""{"prompt":"a red star","initImage":"AAAA"}""", ProblemTypeUris.Validation, 400)]
    [InlineData("""{"prompt":"a red star","colour":"red"}""", ProblemTypeUris.Validation, 400)]
    [InlineData("""{"prompt":"a red star","labels":"sku-1"}""", ProblemTypeUris.Validation, 400)]
    [InlineData("""{"prompt":"a red star","labels":{"long":"0123456789012345678901234567890123456789012345678901234567890123456789"}}""", ProblemTypeUris.Validation, 400)]
    [InlineData("""[1]""", ProblemTypeUris.MalformedBody, 400)]
    [InlineData("""{"prompt":""", ProblemTypeUris.MalformedBody, 400)]
    public void A_refused_item_carries_the_problem_the_api_would_answer(string line, string type, int status)
    {
        var item = _reader.ReadLine(_runId, 0, line);

        Assert.False(item.IsAccepted);
        Assert.Null(item.JobId);
        Assert.Equal(type, item.Refusal!.Type);
        Assert.Equal(status, item.Refusal.Status);
        Assert.False(string.IsNullOrWhiteSpace(item.Refusal.Detail));
    }

    [Fact]
    public void Jsonl_lines_ignore_blank_lines_carriage_returns_and_a_final_newline()
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], BatchItemReader.SplitLines("{\"a\":1}\r\n\r\n  \n{\"b\":2}\n"));
    }

    [Fact]
    public void A_refused_item_keeps_its_labels_for_the_report()
    {
        var item = _reader.ReadItem(_runId, 0, JsonDocument.Parse("""{"prompt":"","labels":{"k":1}}""").RootElement);

        Assert.False(item.IsAccepted);
        Assert.Equal("""{"k":1}""", item.Labels!.Value.GetRawText());
    }

    public void Dispose() => _services.Dispose();
}
