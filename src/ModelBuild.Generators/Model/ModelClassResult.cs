using ModelBuild.Generators.Diagnostics;

namespace ModelBuild.Generators.Model;

/// <summary>What one description yields: the class to generate, or the diagnostics that prevent it.</summary>
internal sealed record ModelClassResult(ModelClassModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
