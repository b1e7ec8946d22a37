using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Diagnostics;

/// <summary>
/// A diagnostic as plain values: a <see cref="Location"/> would break the pipeline's equality, so the location is
/// rebuilt from the file and line only when the diagnostic is reported.
/// </summary>
/// <param name="Id">Which descriptor, e.g. MB3001.</param>
/// <param name="FilePath">The description file the diagnostic points at.</param>
/// <param name="Line">Zero-based line in that file.</param>
/// <param name="MessageArguments">The descriptor's message arguments.</param>
internal sealed record DiagnosticInfo(string Id, string FilePath, int Line, EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, string filePath, int line, params string[] arguments)
        => new(descriptor.Id, filePath, line, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        var position = new LinePosition(Line, 0);
        var location = Location.Create(FilePath, default, new LinePositionSpan(position, position));
        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), location, MessageArguments.Cast<object>().ToArray());
    }
}
