using Microsoft.ML.OnnxRuntime;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Validation;

/// <summary>
/// Creates an ONNX Runtime session from a model's bytes once, so a model the app could never construct (an operator
/// of a custom domain, an unknown operator, a type ONNX Runtime has no kernel for) fails the build with MB1023
/// naming the operator, rather than the app's constructor at run time.
/// </summary>
public static class RuntimeLoadCheck
{
    // Domains whose operators ONNX Runtime's CPU provider implements; any other needs a custom operator library.
    private static readonly HashSet<string> RuntimeDomains = new(StringComparer.Ordinal) { "", "ai.onnx", "ai.onnx.ml", "com.microsoft" };

    /// <summary>Throws <see cref="CompressionException"/> MB1023 when ONNX Runtime cannot load <paramref name="model"/>;
    /// <paramref name="what"/> says what it is in the message ("the model", "the int8-dynamic output").</summary>
    public static void Check(ModelProto model, string origin, string what) => Check(OnnxModelFile.ToBytes(model), model, origin, what);

    /// <summary>Same check on the bytes that will be embedded (the decoded ONNX of a container).</summary>
    public static void Check(byte[] onnx, ModelProto model, string origin, string what)
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CompressionException(DiagnosticCodes.RuntimeCannotRun, origin,
                $"ONNX Runtime cannot run {what}: {Culprit(model, e.Message)}. ONNX Runtime said: {FirstLine(e.Message)}. " +
                "The generated class could never be constructed; replace or remove that operator before building");
        }
    }

    /// <summary>The operators of custom domains or, when there are none, those ONNX Runtime names in its message.</summary>
    private static string Culprit(ModelProto model, string message)
    {
        var operators = Nodes(model.Graph).Select(node => (node.Domain, node.OpType)).Distinct().ToList();
        var named = operators.Where(op => !RuntimeDomains.Contains(op.Domain)).ToList();
        if (named.Count == 0)
            named = operators.Where(op => ContainsWord(message, op.OpType)).ToList();
        return named.Count == 0
            ? "expected operators ONNX Runtime implements, found one it does not"
            : $"expected operators ONNX Runtime implements, found {string.Join(", ", named.Select(Describe))}";
    }

    private static IEnumerable<NodeProto> Nodes(GraphProto graph) =>
        graph.Node.Concat(graph.Node.SelectMany(node => node.Attribute)
            .SelectMany(attribute => attribute.Graphs.Append(attribute.G))
            .Where(subgraph => subgraph is not null)
            .SelectMany(Nodes));

    private static string Describe((string Domain, string OpType) op) =>
        RuntimeDomains.Contains(op.Domain)
            ? $"operator '{op.OpType}' (domain '{(op.Domain.Length == 0 ? "ai.onnx" : op.Domain)}')"
            : $"operator '{op.OpType}' of custom domain '{op.Domain}' (ONNX Runtime needs its custom operator library)";

    // An op type named as a word of ONNX Runtime's message ("Relu" must not match "LeakyRelu").
    private static bool ContainsWord(string message, string word)
    {
        for (var at = message.IndexOf(word, StringComparison.Ordinal); at >= 0; at = message.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(message[at - 1]);
            var after = at + word.Length == message.Length || !char.IsLetterOrDigit(message[at + word.Length]);
            if (before && after)
                return true;
        }
        return false;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
