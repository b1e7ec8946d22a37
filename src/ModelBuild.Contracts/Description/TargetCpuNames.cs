using System.Collections.Generic;

namespace ModelBuild.Contracts.Description;

/// <summary>
/// The target CPU names as the project file (TargetCpu), the command line (<c>--target-cpu</c>) and the description's
/// <c>target-cpu</c> record spell them. What each target means is ModelBuild.Compression's (<c>TargetCpus</c>).
/// </summary>
public static class TargetCpuNames
{
    /// <summary>Integer arithmetic that cannot saturate on any kernel; the default.</summary>
    public const string Portable = "portable";

    public const string X64Vnni = "x64-vnni";

    public const string X64Avx2 = "x64-avx2";

    public const string Arm64 = "arm64";

    /// <summary>The build machine's own kind; resolved to one of the others, never written to a description.</summary>
    public const string Native = "native";

    /// <summary>Every name an item or the command line may give, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { Portable, X64Vnni, X64Avx2, Arm64, Native };
}
