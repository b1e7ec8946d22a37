namespace ModelBuild.Compression.Budgets;

/// <summary>The limits a compressed model must meet; a null limit is not checked.</summary>
public sealed record Budget(AccuracyDrop? MaxAccuracyDrop = null, long? MaxSizeBytes = null, double? MaxLatencyRatio = null)
{
    public static readonly Budget None = new();

    public bool IsEmpty => MaxAccuracyDrop is null && MaxSizeBytes is null && MaxLatencyRatio is null;
}
