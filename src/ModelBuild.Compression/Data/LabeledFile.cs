namespace ModelBuild.Compression.Data;

/// <summary>A data file and its class index.</summary>
public sealed record LabeledFile(string Path, int Label);
