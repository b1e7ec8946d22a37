using ModelBuild.Generators.Diagnostics;

namespace ModelBuild.Generators.Model;

/// <summary>All classes of a compilation after clash detection: the ones to emit and MB1006 for the rest.</summary>
internal sealed record ModelClassSet(EquatableArray<ModelClassModel> Classes, EquatableArray<DiagnosticInfo> Clashes);
