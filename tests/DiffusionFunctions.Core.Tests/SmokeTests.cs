namespace DiffusionFunctions.Core.Tests;

public class RepositoryLayoutTests
{
    [Fact]
    public void Shared_reference_data_sits_beside_the_repository()
    {
        Assert.True(File.Exists(DiffusionFunctions.TestSupport.RepositoryPaths.ClipBpeVocabulary));
    }
}
