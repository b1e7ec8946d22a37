using System;
using System.Collections.Generic;

namespace ModelBuild.Contracts.Options;

/// <summary>
/// One setting of an <c>OnnxModel</c> item that the CLI's <c>compress</c> takes: one row of <see cref="ItemOptions"/>.
/// The task checks its value by <see cref="Kind"/>, puts it on the command line under <see cref="Switch"/> and into
/// the settings stamp under <see cref="StampName"/> (so the incremental build and the cache key see it).
/// </summary>
public sealed class ItemOption
{
    internal ItemOption(string metadataName, string @switch, ItemOptionKind kind, string description,
        string defaultValue = "", IReadOnlyList<string>? validNames = null, bool measuresModel = false)
    {
        MetadataName = metadataName;
        Switch = @switch;
        Kind = kind;
        Description = description;
        DefaultValue = defaultValue;
        ValidNames = validNames ?? Array.Empty<string>();
        MeasuresModel = measuresModel;
    }

    /// <summary>The item metadata, such as <c>CalibrationData</c>.</summary>
    public string MetadataName { get; }

    /// <summary>The CLI option, such as <c>--calibration-data</c>.</summary>
    public string Switch { get; }

    public ItemOptionKind Kind { get; }

    /// <summary>The CLI's help text.</summary>
    public string Description { get; }

    /// <summary>What the CLI uses when the option is not given ("" when that depends on the model or means "none").</summary>
    public string DefaultValue { get; }

    /// <summary>The accepted values of a <see cref="ItemOptionKind.Choice"/>, in lower case; empty otherwise.</summary>
    public IReadOnlyList<string> ValidNames { get; }

    /// <summary>Whether setting it makes the CLI measure the model, which needs EvaluationData (MB1017 without).</summary>
    public bool MeasuresModel { get; }

    /// <summary>The key of its line in the settings stamp: the switch without its dashes.</summary>
    public string StampName => Switch.TrimStart('-');

    public override string ToString() => MetadataName;
}
