using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Emit;

/// <summary>Literals, XML doc text and shape text for the emitted code.</summary>
internal static class CSharpText
{
    public static string StringLiteral(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Tensor names can hold any character; XML docs must stay well-formed.</summary>
    public static string Xml(string text) => text
        .Replace("&", "&amp;")
        .Replace("<", "&lt;")
        .Replace(">", "&gt;");

    public static string Code(string text) => "<c>" + Xml(text) + "</c>";

    /// <summary>A tensor's element type and declared shape, as the XML docs show it: <c>float [batch, 3]</c>.</summary>
    public static string Signature(TensorModel tensor) => tensor.OnnxElementType + " " + DeclaredShape(tensor);

    public static string DeclaredShape(TensorModel tensor)
        => tensor.RankKnown
            ? "[" + string.Join(", ", tensor.Dimensions.Select(d => d.Text)) + "]"
            : "(shape not declared)";

    /// <summary>The <c>long[]</c> shape the input is run with, dynamic dimensions taken from their parameters.</summary>
    public static string ShapeExpression(TensorModel input)
    {
        if (!input.RankKnown) return input.ShapeParameterName!;
        if (input.Dimensions.Count == 0) return "global::System.Array.Empty<long>()";
        return "new long[] { " + string.Join(", ", input.Dimensions.Select(d => d.ParameterName ?? d.Text + "L")) + " }";
    }

    public static string ParameterNameOf(string identifier) => "nameof(" + identifier + ")";

    public static string StringArray(EquatableArray<TensorModel> tensors)
        => tensors.Count == 0
            ? "global::System.Array.Empty<string>()"
            : "new string[] { " + string.Join(", ", tensors.Select(t => StringLiteral(t.OnnxName))) + " }";
}
