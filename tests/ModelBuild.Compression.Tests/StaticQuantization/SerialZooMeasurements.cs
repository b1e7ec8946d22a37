namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>Latency and memory measurements run alone: another test class running beside them would skew the numbers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialZooMeasurements
{
    public const string Name = "Serial zoo measurements";
}
