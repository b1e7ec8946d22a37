namespace ModelBuild.Compression.Inspection;

/// <summary>One imported operator set; the default ONNX domain is written <c>ai.onnx</c>.</summary>
public sealed record OpsetImport(string Domain, long Version);
