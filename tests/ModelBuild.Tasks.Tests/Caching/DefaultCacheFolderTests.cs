using ModelBuild.Tasks.Caching;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Caching;

/// <summary>The per-user cache folder of a user who has none yet (a fresh account, a CI runner's new home).</summary>
[CollectionDefinition(nameof(DefaultCacheFolderTests), DisableParallelization = true)]
[Collection(nameof(DefaultCacheFolderTests))]
public sealed class DefaultCacheFolderTests
{
    [Fact]
    public void A_per_user_data_folder_that_does_not_exist_yet_is_created_so_the_cache_is_on()
    {
        if (!OperatingSystem.IsLinux())
            return; // XDG_DATA_HOME names LocalApplicationData on Linux only
        using var folder = new TemporaryFolder();
        var dataHome = folder.File("home/.local/share");
        var saved = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", dataHome);

            var root = CompressionCache.DefaultRoot();

            Assert.Equal(Path.Combine(dataHome, "ModelBuild", "cache"), root);
            Assert.True(Directory.Exists(dataHome), "the per-user data folder was not created");
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", saved);
        }
    }
}
