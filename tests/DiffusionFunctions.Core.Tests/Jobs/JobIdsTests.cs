using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;

namespace DiffusionFunctions.Core.Tests.Jobs;

/// <summary>The format checks anchor at the very end of the text: "^…$" also matched before a final newline.</summary>
public sealed class JobIdsTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(Id + "\n", "a trailing newline")]
    [InlineData(Id + "\r\n", "a trailing CRLF")]
    [InlineData("\n" + Id, "a leading newline")]
    [InlineData(Id + " ", "a trailing space")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", "upper case")]
    [InlineData("0123456789abcdef0123456789abcde", "31 digits")]
    [InlineData("", "empty")]
    public void Near_miss_ids_are_refused(string id, string why)
    {
        Assert.False(JobIds.IsValid(id), why);
        Assert.Throws<ArgumentException>(() => JobIds.ThrowIfInvalid(id));
    }

    [Fact]
    public void New_ids_are_valid()
    {
        Assert.True(JobIds.IsValid(JobIds.New()));
        Assert.True(JobIds.IsValid(Id));
    }

    [Theory]
    [InlineData("jobs\n")]
    [InlineData("generation-requests\n")]
    [InlineData("ab\n")]
    public void Storage_names_with_a_trailing_newline_are_refused(string name)
    {
        Assert.False(StorageNames.IsValidContainerName(name));
        Assert.False(StorageNames.IsValidQueueName(name));
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("generation-requests")]
    public void Storage_names_are_accepted(string name) => Assert.True(StorageNames.IsValidQueueName(name));
}
