using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Opsets;

/// <summary>
/// A node whose operator changed between the model's opset and the target in a way the upgrader does not convert.
/// Raised rather than guessing: a silently wrong model would only show up as bad accuracy much later.
/// </summary>
public sealed class OpsetUpgradeException(string nodeName, string opType, long fromOpset, long toOpset, string reason)
    : Exception($"{DiagnosticCodes.OpsetUpgradeBlocked}: node '{nodeName}' ({opType}) cannot be upgraded from opset {fromOpset} to {toOpset}: {reason}")
{
    public string Code => DiagnosticCodes.OpsetUpgradeBlocked;

    public string NodeName { get; } = nodeName;

    public string OpType { get; } = opType;
}
