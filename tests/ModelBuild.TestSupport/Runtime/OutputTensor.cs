namespace ModelBuild.TestSupport;

/// <summary>A model output widened to float (integer and bool outputs too, so tests compare one way) and the shape
/// ONNX Runtime reported.</summary>
public sealed record OutputTensor(float[] Data, long[] Shape);
