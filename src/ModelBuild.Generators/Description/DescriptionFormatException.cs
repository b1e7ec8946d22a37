using System;

namespace ModelBuild.Generators.Description;

/// <summary>A description line that does not follow the format; becomes MB3001 with the line.</summary>
internal sealed class DescriptionFormatException : Exception
{
    public DescriptionFormatException(int line, string message) : base(message) => Line = line;

    /// <summary>Zero-based line of the problem.</summary>
    public int Line { get; }
}
