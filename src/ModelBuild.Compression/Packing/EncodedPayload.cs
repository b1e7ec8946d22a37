namespace ModelBuild.Compression.Packing;

/// <summary>A tensor's coded payload and the order-0 entropy in bytes of what its chain emits (<see cref="PackedWeightStatistics"/>).</summary>
internal sealed record EncodedPayload(byte[] Payload, double EntropyBytes)
{
    /// <summary>The shorter payload; the first on a tie, so the simpler chain (tried first) wins.</summary>
    public static EncodedPayload Smaller(EncodedPayload first, EncodedPayload second) =>
        second.Payload.Length < first.Payload.Length ? second : first;
}
