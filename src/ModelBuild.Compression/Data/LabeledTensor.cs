namespace ModelBuild.Compression.Data;

/// <summary>A preprocessed model input and its class index.</summary>
public sealed record LabeledTensor(ImageTensor Input, int Label);
