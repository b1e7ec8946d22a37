using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Datasets;

/// <summary>The image preprocessing plus the tensor layout the model wants (<see cref="Preprocessing"/> writes NCHW).</summary>
public sealed record DatasetPreprocessing(Preprocessing Image, bool ChannelsLast);
