namespace ModelBuild.Compression.Data;

/// <summary>A preprocessed text-line image and the text it shows.</summary>
public sealed record TextSample(ImageTensor Input, string Text);
