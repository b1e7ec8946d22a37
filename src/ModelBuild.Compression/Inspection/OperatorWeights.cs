namespace ModelBuild.Compression.Inspection;

/// <summary>The weight tensors first consumed by one operator type: how many, how many values, how many bytes stored.</summary>
public sealed record OperatorWeights(string OperatorType, int Tensors, long Elements, long Bytes);
