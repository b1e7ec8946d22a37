using ModelBuild.TestSupport;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>The snapshot helper itself: it must fail on a difference, show it, and accept only when asked.</summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string Verified => _folder.File("Case.verified.cs");

    private string Received => _folder.File("Case.received.cs");

    [Fact]
    public void MatchingOutputPassesAndLeavesNoReceivedFile()
    {
        File.WriteAllText(Verified, "line 1\nline 2\n");
        File.WriteAllText(Received, "stale");

        Assert.Null(Snapshot.Compare("line 1\r\nline 2\r\n", Verified, Received, accept: false));
        Assert.False(File.Exists(Received));
    }

    [Fact]
    public void DifferenceFailsWritesReceivedAndShowsTheChangedLines()
    {
        File.WriteAllText(Verified, "a\nb\nc\nd\n");

        var problem = Snapshot.Compare("a\nB\nc\nd\n", Verified, Received, accept: false);

        Assert.NotNull(problem);
        Assert.Contains("@@ line 2: -1 +1 @@", problem);
        Assert.Contains("- b", problem);
        Assert.Contains("+ B", problem);
        Assert.Equal("a\nB\nc\nd\n", File.ReadAllText(Received));
        Assert.Equal("a\nb\nc\nd\n", File.ReadAllText(Verified));
    }

    [Fact]
    public void MissingBaselineFails()
    {
        var problem = Snapshot.Compare("x", Verified, Received, accept: false);

        Assert.Contains("no baseline", problem);
        Assert.True(File.Exists(Received));
    }

    [Fact]
    public void AcceptingReplacesTheBaselineWithTheVersionTokenized()
    {
        File.WriteAllText(Verified, "old");

        var problem = Snapshot.Compare($"[GeneratedCode(\"ModelBuild\", \"{ModelClassGenerator.Version}\")]", Verified, Received, accept: true);

        Assert.Null(problem);
        Assert.Equal($"[GeneratedCode(\"ModelBuild\", \"{Snapshot.VersionToken}\")]", File.ReadAllText(Verified));
        Assert.False(File.Exists(Received));
    }

    public void Dispose() => _folder.Dispose();
}
