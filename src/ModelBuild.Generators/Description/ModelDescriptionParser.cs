using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelBuild.Contracts.Description;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Description;

/// <summary>Reads the tab-separated model description that <c>modelbuild compress</c> writes (<see cref="ModelDescriptionFormat"/>).</summary>
internal static class ModelDescriptionParser
{
    /// <exception cref="DescriptionFormatException">The text does not follow the format.</exception>
    public static ModelDescription Parse(string text)
    {
        var lines = text.Split(ModelDescriptionFormat.LineEnd);
        ReadHeader(lines[0].TrimEnd('\r'));

        string? recipe = null;
        long? originalBytes = null;
        long? storedBytes = null;
        long? decodedBytes = null;
        string? targetCpu = null;
        string? int8Scheme = null;
        string? quantizationAwareTraining = null;
        var inputs = new List<DescribedTensor>();
        var outputs = new List<DescribedTensor>();
        var quantizations = new List<DescribedQuantization>();
        for (var line = 1; line < lines.Length; line++)
        {
            var record = lines[line].TrimEnd('\r');
            if (record.Length == 0) continue;
            var fields = record.Split(ModelDescriptionFormat.FieldSeparator);
            switch (fields[0])
            {
                case ModelDescriptionFormat.Recipe:
                    recipe = RequireFields(fields, 2, line, "recipe <name>")[1];
                    break;
                case ModelDescriptionFormat.OriginalBytes:
                    originalBytes = ParseSize(RequireFields(fields, 2, line, "original-bytes <count>")[1], line);
                    break;
                case ModelDescriptionFormat.StoredBytes:
                    storedBytes = ParseSize(RequireFields(fields, 2, line, "stored-bytes <count>")[1], line);
                    break;
                case ModelDescriptionFormat.DecodedBytes:
                    decodedBytes = ParseSize(RequireFields(fields, 2, line, "decoded-bytes <count>")[1], line);
                    break;
                case ModelDescriptionFormat.TargetCpu:
                    targetCpu = ParseName(RequireFields(fields, 2, line, "target-cpu <name>")[1], line, "target CPU");
                    break;
                case ModelDescriptionFormat.Int8Scheme:
                    int8Scheme = ParseName(RequireFields(fields, 2, line, "int8-scheme <name>")[1], line, "int8 scheme");
                    break;
                case ModelDescriptionFormat.QuantizationAwareTraining:
                    quantizationAwareTraining = RequireFields(fields, 2, line, "quantization-aware-training <what was folded>")[1];
                    break;
                case ModelDescriptionFormat.Input:
                    inputs.Add(ParseTensor(fields, line));
                    break;
                case ModelDescriptionFormat.Output:
                    outputs.Add(ParseTensor(fields, line));
                    break;
                case ModelDescriptionFormat.Quantization:
                    quantizations.Add(ParseQuantization(fields, line));
                    break;
                default:
                    // Unknown record kinds come from newer writers; the format says readers skip them.
                    break;
            }
        }

        var end = lines.Length - 1;
        if (recipe is null) throw new DescriptionFormatException(end, "the 'recipe' record is missing");
        if (originalBytes is null) throw new DescriptionFormatException(end, "the 'original-bytes' record is missing");
        if (storedBytes is null) throw new DescriptionFormatException(end, "the 'stored-bytes' record is missing");
        if (outputs.Count == 0) throw new DescriptionFormatException(end, "there is no 'output' record; a model has at least one output");
        foreach (var quantization in quantizations)
            CheckQuantizedTensor(quantization, quantization.Kind == ModelDescriptionFormat.Input ? inputs : outputs);
        return new ModelDescription(recipe, originalBytes.Value, storedBytes.Value, inputs.ToEquatableArray(), outputs.ToEquatableArray(), quantizations.ToEquatableArray(), decodedBytes, targetCpu, int8Scheme, quantizationAwareTraining);
    }

    private static DescribedQuantization ParseQuantization(string[] fields, int line)
    {
        RequireFields(fields, 5, line, "quantization <input|output> <name> <scale> <zero point>");
        var (kind, name) = (fields[1], fields[2]);
        if (kind != ModelDescriptionFormat.Input && kind != ModelDescriptionFormat.Output)
            throw new DescriptionFormatException(line, $"expected 'input' or 'output' as the quantized tensor's kind, found '{kind}'");
        if (!float.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || !(scale > 0) || float.IsInfinity(scale))
            throw new DescriptionFormatException(line, $"tensor '{name}' has scale '{fields[3]}'; expected a positive finite number");
        if (!byte.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var zeroPoint))
            throw new DescriptionFormatException(line, $"tensor '{name}' has zero point '{fields[4]}'; expected an integer from 0 to 255");
        return new DescribedQuantization(kind, name, scale, zeroPoint, line);
    }

    // The grid only makes sense on a uint8 tensor the class exposes; anything else is a writer bug worth reporting.
    private static void CheckQuantizedTensor(DescribedQuantization quantization, List<DescribedTensor> tensors)
    {
        var tensor = tensors.Find(t => t.Name == quantization.TensorName);
        if (tensor is null)
            throw new DescriptionFormatException(quantization.Line, $"the quantization record names {quantization.Kind} '{quantization.TensorName}', but no '{quantization.Kind}' record has that name");
        if (tensor.ElementType != "uint8")
            throw new DescriptionFormatException(quantization.Line, $"the quantization record names {quantization.Kind} '{quantization.TensorName}', whose element type is '{tensor.ElementType}'; expected 'uint8'");
    }

    private static void ReadHeader(string header)
    {
        var fields = header.Split(ModelDescriptionFormat.FieldSeparator);
        if (fields.Length != 2 || fields[0] != ModelDescriptionFormat.Header)
            throw new DescriptionFormatException(0, $"expected the header '{ModelDescriptionFormat.Header}<TAB>{ModelDescriptionFormat.Version}', found '{header}'");
        if (fields[1] != ModelDescriptionFormat.Version)
            throw new DescriptionFormatException(0, $"format version '{fields[1]}' is not the version this generator reads ({ModelDescriptionFormat.Version}); update the ModelBuild package so the generator and the compressor match");
    }

    private static string[] RequireFields(string[] fields, int count, int line, string expected)
    {
        if (fields.Length != count)
            throw new DescriptionFormatException(line, $"expected '{expected}' ({count} tab-separated fields), found {fields.Length} field(s)");
        return fields;
    }

    // Emitted into a string literal: lower-case letters, digits and '-' only, as the compressor writes them.
    private static string ParseName(string text, int line, string what)
    {
        if (text.Length > 0 && text.Length <= 32 && text.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            return text;
        throw new DescriptionFormatException(line, $"expected a {what} name of lower-case letters, digits and '-', found '{text}'");
    }

    private static long ParseSize(string text, int line)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        throw new DescriptionFormatException(line, $"expected a non-negative byte count, found '{text}'");
    }

    private static DescribedTensor ParseTensor(string[] fields, int line)
    {
        RequireFields(fields, 4, line, fields[0] + " <name> <element type> <dimensions>");
        var name = fields[1];
        if (name.Length == 0) throw new DescriptionFormatException(line, $"the {fields[0]} has an empty name");
        var dimensionsText = fields[3];
        if (dimensionsText == ModelDescriptionFormat.UnknownRank)
            return new DescribedTensor(name, fields[2], EquatableArray<string>.Empty, RankKnown: false, line);

        var dimensions = dimensionsText.Length == 0 ? new string[0] : dimensionsText.Split(',');
        foreach (var dimension in dimensions)
        {
            if (dimension.Length == 0)
                throw new DescriptionFormatException(line, $"tensor '{name}' has an empty dimension in '{dimensionsText}'; expected numbers, symbolic names or '?' separated by commas");
            if (char.IsDigit(dimension[0]) && !long.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new DescriptionFormatException(line, $"tensor '{name}' has dimension '{dimension}', which is neither a number nor a symbolic name");
        }
        return new DescribedTensor(name, fields[2], dimensions.ToEquatableArray(), RankKnown: true, line);
    }
}
