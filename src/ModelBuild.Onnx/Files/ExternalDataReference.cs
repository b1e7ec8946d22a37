using System.Globalization;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>Where a tensor with <c>data_location = EXTERNAL</c> keeps its bytes: the spec's
/// <c>location</c> / <c>offset</c> / <c>length</c> keys of <c>external_data</c>.</summary>
internal sealed record ExternalDataReference(string Location, long Offset, long? Length)
{
    public static ExternalDataReference Of(TensorProto tensor)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ParseNumber(tensor, entry); break;
                case "length": length = ParseNumber(tensor, entry); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw Invalid(tensor, "has data_location EXTERNAL but no 'location' key in external_data; expected the data file's relative path");
        return new ExternalDataReference(location, offset, length);
    }

    /// <summary>The payload length: the recorded length, else what the tensor's dims and type need.</summary>
    public long StoredBytes(TensorProto tensor) =>
        Length ?? Math.Max(0, TensorData.RawByteLength(tensor.DataType, TensorData.ElementCount(tensor)));

    private static long ParseNumber(TensorProto tensor, StringStringEntryProto entry)
    {
        if (long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return value;
        throw Invalid(tensor, $"has external_data {entry.Key} '{entry.Value}'; expected a non-negative integer");
    }

    private static OnnxModelException Invalid(TensorProto tensor, string problem) =>
        new(DiagnosticCodes.InvalidModel, null, $"tensor '{tensor.Name}' {problem}");
}
