using ModelBuild.Compression.Targets;

namespace ModelBuild.Compression.Passes;

/// <summary>What every pass of one compression shares: the recipe (for messages), settings, the int8 scheme and progress.</summary>
internal sealed record PassContext(Recipe Recipe, CompressionSettings Settings, Int8Scheme Scheme, IProgress<string>? Progress);
