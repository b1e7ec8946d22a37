using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Naming;

/// <summary>
/// The <c>long</c> parameters of <c>Run</c> for dynamic input dimensions. A symbolic name (<c>batch</c>) is one
/// parameter however many inputs use it, since ONNX requires those axes to agree; each <c>?</c> is its own.
/// </summary>
internal sealed class DimensionParameters
{
    private const string Unnamed = "?";
    private readonly NameScope _scope;
    private readonly Dictionary<string, Entry> _bySymbol = new();
    private readonly List<Entry> _inOrder = new();

    public DimensionParameters(NameScope scope) => _scope = scope;

    /// <summary>The parameter for one dimension, or null when the dimension is a fixed size.</summary>
    public string? ParameterFor(string tensorName, string tensorIdentifier, string dimension, int axis)
    {
        if (long.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return null;
        var use = $"axis {axis} of input '{tensorName}'";
        if (dimension != Unnamed && _bySymbol.TryGetValue(dimension, out var shared))
        {
            shared.Uses.Add(use);
            return shared.ParameterName;
        }

        var candidate = dimension == Unnamed
            ? tensorIdentifier.TrimStart('@') + "Dim" + axis.ToString(CultureInfo.InvariantCulture)
            : dimension;
        var entry = new Entry(
            _scope.Claim(IdentifierSanitizer.ToCamelCase(candidate)),
            dimension == Unnamed ? "Unnamed dynamic dimension" : $"Dynamic dimension '{dimension}'");
        entry.Uses.Add(use);
        if (dimension != Unnamed) _bySymbol.Add(dimension, entry);
        _inOrder.Add(entry);
        return entry.ParameterName;
    }

    public EquatableArray<DimensionParameterModel> ToModels()
        => _inOrder.Select(entry => new DimensionParameterModel(entry.ParameterName, entry.Title + ": " + string.Join(", ", entry.Uses) + "."))
            .ToEquatableArray();

    private sealed class Entry
    {
        public Entry(string parameterName, string title)
        {
            ParameterName = parameterName;
            Title = title;
        }

        public string ParameterName { get; }

        public string Title { get; }

        public List<string> Uses { get; } = new();
    }
}
