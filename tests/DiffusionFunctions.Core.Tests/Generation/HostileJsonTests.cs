using System.Text;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Tests.Generation;

/// <summary>
/// Bodies built to break the reader: invalid UTF-8 and escaped lone surrogates (which JSON allows and .NET strings do
/// not) in values and names, and floods of unknown fields. Each gets a bounded answer naming where, never an exception.
/// </summary>
public sealed class HostileJsonTests
{
    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x70, 0x72, 0x6F, 0x6D, 0x70, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D }, 11)] // {"prompt":"\xFF"}
    [InlineData(new byte[] { 0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D }, 2)] // {"\xC3":1}: a truncated sequence in a name
    [InlineData(new byte[] { 0x7B, 0x22, 0x70, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D }, 6)] // a surrogate encoded in UTF-8
    public void Invalid_utf8_is_malformed_naming_the_offset(byte[] body, int offset)
    {
        var read = GenerationRequestJsonReader.Read(body);

        Assert.True(read.IsMalformed);
        Assert.Null(read.Request);
        var message = Assert.Single(read.Errors.ToDictionary()["body"]);
        Assert.Contains($"offset {offset}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"prompt":"a \ud800 cat"}""", "prompt")]
    [InlineData("""{"prompt":"a cat","negativePrompt":"\udfff"}""", "negativePrompt")]
    [InlineData("""{"prompt":"a cat","callbackUrl":"https://x.test/\udc00\ud800"}""", "callbackUrl")]
    public void A_lone_surrogate_in_a_string_is_malformed_naming_the_field(string json, string field)
    {
        var read = GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.True(read.IsMalformed);
        Assert.Contains("lone surrogate", Assert.Single(read.Errors.ToDictionary()[field]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_in_a_field_name_is_malformed_naming_its_position()
    {
        var read = GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes("""{"prompt":"a cat","\ud800x":1}"""));

        Assert.True(read.IsMalformed);
        Assert.Contains("field #2", Assert.Single(read.Errors.ToDictionary()["body"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_paired_surrogate_escape_is_ordinary_text()
    {
        var read = GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes("""{"prompt":"a \ud83d\ude00 cat"}"""));

        Assert.Equal("a 😀 cat", read.Request!.Prompt);
    }

    [Fact]
    public void A_flood_of_unknown_fields_gets_a_bounded_list_that_names_the_known_fields_once()
    {
        var json = new StringBuilder("{");
        for (var i = 0; i < 100_000; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append("\"f").Append(i).Append("\":0");
        }

        var read = GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes(json.Append('}').ToString()));

        var errors = read.Errors.ToDictionary();
        Assert.Equal(ValidationErrors.MaxFields, errors.Count);
        Assert.Equal(100_000 - ValidationErrors.MaxFields, read.Errors.Omitted);
        Assert.Single(errors.Values, messages => messages[0].Contains("known fields:", StringComparison.Ordinal));
        Assert.True(read.Errors.Summarize().Length < 2_000, $"summary is {read.Errors.Summarize().Length} characters");
    }

    [Fact]
    public void A_huge_field_name_is_cut_in_the_key_and_the_message()
    {
        var name = new string('x', 1_000_000);

        var read = GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes($$"""{"{{name}}":1}"""));

        var (key, messages) = Assert.Single(read.Errors.ToDictionary());
        Assert.Equal(ValidationErrors.MaxFieldNameLength, key.Length);
        Assert.True(messages[0].Length < 1_000);
    }

    [Fact]
    public void A_field_repeated_many_times_keeps_a_few_messages()
    {
        var json = "{" + string.Join(",", Enumerable.Repeat("\"prompt\":\"a\"", 10_000)) + "}";

        var read = GenerationRequestJsonReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.Equal(ValidationErrors.MaxMessagesPerField, read.Errors.ToDictionary()["prompt"].Length);
        Assert.True(read.Errors.Omitted > 0);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("mode")]
    public void A_huge_unknown_value_is_not_echoed_back(string field)
    {
        var value = new string('z', 1_000_000);
        var request = field == "scheduler" ? new GenerationRequest { Prompt = "a", Scheduler = value } : new GenerationRequest { Prompt = "a", Mode = value };

        var result = new GenerationRequestValidator(Microsoft.Extensions.Options.Options.Create(new GenerationOptions())).Validate(request, false, false);

        var message = Assert.Single(result.Errors.ToDictionary()[field]);
        Assert.True(message.Length < 1_000, $"the message is {message.Length} characters");
        Assert.True(result.Errors.Summarize().Length < 2_000);
    }
}
