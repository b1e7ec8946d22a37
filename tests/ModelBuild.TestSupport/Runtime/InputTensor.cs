namespace ModelBuild.TestSupport;

/// <summary>A model input: a flat array of its element type (float[], long[], int[], byte[], sbyte[], bool[],
/// double[]) and its shape.</summary>
public sealed record InputTensor(Array Data, long[] Shape);
