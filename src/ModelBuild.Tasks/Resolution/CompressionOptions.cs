using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Contracts.Options;
using ModelBuild.Contracts.Recipes;

namespace ModelBuild.Tasks.Resolution;

/// <summary>
/// The values of one <c>OnnxModel</c> item's <see cref="ItemOptions"/>, checked by their kind where the task can
/// (counts, choices, data a recipe needs) and handed to the CLI as they are otherwise (budget, preprocessing and
/// weight strings: the CLI reports those canonically, MB1015). Data specs are made absolute here.
/// </summary>
internal sealed class CompressionOptions
{
    private readonly Dictionary<ItemOption, string> _values = new();
    private readonly Dictionary<ItemOption, DataSpec> _data = new();

    private CompressionOptions()
    {
    }

    /// <summary>The option's value as the CLI gets it ("" when not set).</summary>
    public string this[ItemOption option] => _values[option];

    /// <summary>The value of a <see cref="ItemOptionKind.DataSpec"/> option.</summary>
    public DataSpec Data(ItemOption option) => _data[option];

    /// <summary>Reads the item's options; logs each problem through <paramref name="logError"/> and returns null if any.</summary>
    public static CompressionOptions? Read(ITaskItem model, Recipe recipe, string projectDirectory, Action<string, string> logError)
    {
        var options = new CompressionOptions();
        var valid = true;
        void Fail(string code, string message)
        {
            logError(code, $"OnnxModel '{model.ItemSpec}': {message}");
            valid = false;
        }

        foreach (var option in ItemOptions.All)
        {
            var value = model.GetMetadata(option.MetadataName).Trim();
            switch (option.Kind)
            {
                case ItemOptionKind.DataSpec:
                    var spec = DataSpec.Parse(value, projectDirectory);
                    options._data[option] = spec;
                    value = spec.ToString();
                    break;
                case ItemOptionKind.Count when value.Length > 0 && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0):
                    Fail(DiagnosticCodes.MalformedOption, $"{option.MetadataName} '{value}' is not a count. Expected a whole number greater than 0, such as 500.");
                    break;
                case ItemOptionKind.Choice when value.Length > 0:
                    if (!option.ValidNames.Contains(value.ToLowerInvariant()))
                        Fail(DiagnosticCodes.MalformedOption, $"unknown {option.MetadataName} '{value}'. Expected one of: {string.Join(", ", option.ValidNames)}.");
                    value = value.ToLowerInvariant();
                    break;
            }
            options._values[option] = value;
        }

        if (recipe.NeedsCalibrationData && options.Data(ItemOptions.CalibrationData).IsEmpty)
            Fail(DiagnosticCodes.DataRequired, DataRequiredMessages.CalibrationData(recipe.Text) + ".");
        if (options.Data(ItemOptions.EvaluationData).IsEmpty && (recipe.NeedsEvaluationData || ItemOptions.All.Any(option => option.MeasuresModel && options[option].Length > 0)))
            Fail(DiagnosticCodes.DataRequired, DataRequiredMessages.EvaluationData() + ".");
        return valid ? options : null;
    }

    /// <summary>A fingerprint of the data file list: adding or removing a file changes it, while edits show in the files' times.</summary>
    public static string DataFileListHash(IEnumerable<string> files)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", files)));
        return BitConverter.ToString(bytes).Replace("-", "").Substring(0, 16);
    }
}
