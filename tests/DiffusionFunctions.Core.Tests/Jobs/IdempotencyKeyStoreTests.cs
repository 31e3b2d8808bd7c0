using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Core.Tests.Jobs;

[Collection(AzuriteCollection.Name)]
public sealed class IdempotencyKeyStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Of_many_racing_claims_exactly_one_wins_and_all_see_its_record()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var store = services.GetRequiredService<IdempotencyKeyStore>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            store.TryClaimAsync(new IdempotencyRecord("order-77", JobIds.New(), "hash", DateTimeOffset.UtcNow)))));

        var winner = Assert.Single(claims, c => c.Claimed);
        Assert.All(claims, c => Assert.Equal(winner.Record.JobId, c.Record.JobId));
    }

    [Fact]
    public async Task Released_key_can_be_claimed_again()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var store = services.GetRequiredService<IdempotencyKeyStore>();
        await store.TryClaimAsync(new IdempotencyRecord("k", JobIds.New(), "h1", DateTimeOffset.UtcNow));

        await store.ReleaseAsync("k");
        var again = await store.TryClaimAsync(new IdempotencyRecord("k", JobIds.New(), "h2", DateTimeOffset.UtcNow));

        Assert.True(again.Claimed);
        Assert.Equal("h2", (await store.GetAsync("k"))!.RequestHash);
    }

    [Theory]
    [InlineData("abc-123_XYZ", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("caf\u00e9", false)]
    public void Key_format(string key, bool valid) => Assert.Equal(valid, IdempotencyKeyStore.IsValidKey(key));

    [Fact]
    public void Blob_name_hashes_the_key_so_any_characters_are_safe()
        => Assert.Equal(
            "idempotency/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json",
            IdempotencyKeyStore.BlobNameFor("abc"));
}
