namespace ModelBuild.Runtime.Packing;

/// <summary>
/// How one <see cref="ModelContainer.Decode(ReadOnlySpan{byte})"/> ran, for the tests and the benchmark; filled in
/// when the decode fails too.
/// </summary>
internal sealed class DecodeRun
{
    /// <summary>The threads the schedule chose (<see cref="ParallelDecode.Threads"/>): 1 for the sequential decoder.</summary>
    public int ScheduledThreads { get; set; } = 1;

    /// <summary>The threads that decoded part of the model (a pool thread that starts after every item is taken decodes nothing): 1 for the sequential decoder.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>What the threads other than the caller allocated (their stream decoders and scratch); the caller's own allocations are counted on its thread.</summary>
    public long WorkerAllocatedBytes { get; set; }
}
