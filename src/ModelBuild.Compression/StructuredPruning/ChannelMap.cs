namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// One member's channel axis (a layer's filters or input channels, a constant's entries, a Split's input) as group
/// channels: entry i is channel <c>Channel</c> of group <c>Group</c>. A plain member holds one group's channels in
/// order; after a Concat a member holds several groups' channels end to end (DepGraph's offsets), after a Split part
/// of one. Pruning a group drops its removed entries from each map as the member is edited, so a later group finds
/// its offsets in the model as it is then.
/// </summary>
internal sealed class ChannelMap
{
    // Each entry with its position when the groups were found (its channel in the unpruned model).
    private readonly List<(ChannelGroup Group, int Channel, int Origin)> _entries;

    public ChannelMap(IEnumerable<(ChannelGroup Group, int Channel)> entries)
    {
        _entries = entries.Select((e, i) => (e.Group, e.Channel, i)).ToList();
        OriginalCount = _entries.Count;
    }

    /// <summary>How many channels the member has now.</summary>
    public int Count => _entries.Count;

    /// <summary>The groups whose channels the member holds, each once, in the order they first appear.</summary>
    public IEnumerable<ChannelGroup> Groups => _entries.Select(e => e.Group).Distinct();

    /// <summary>The channel of <paramref name="group"/> at the member's position <paramref name="local"/>, or -1 when another group's is there.</summary>
    public int ChannelOf(ChannelGroup group, int local) => ReferenceEquals(_entries[local].Group, group) ? _entries[local].Channel : -1;

    /// <summary>The fraction of the member's channels that are <paramref name="group"/>'s.</summary>
    public double Share(ChannelGroup group) => _entries.Count(e => ReferenceEquals(e.Group, group)) / (double)_entries.Count;

    /// <summary>How many of the member's positions each of <paramref name="group"/>'s channels it holds has (a grouped Conv's tie: one per slice).</summary>
    public int Width(ChannelGroup group)
    {
        var entries = _entries.Where(e => ReferenceEquals(e.Group, group)).ToList();
        return entries.Count == 0 ? 1 : entries.Count / entries.Select(e => e.Channel).Distinct().Count();
    }

    /// <summary>The positions that stay when <paramref name="group"/> keeps only <paramref name="keep"/> (ascending): other groups' stay too.</summary>
    public int[] Kept(ChannelGroup group, int[] keep) => Kept(new Dictionary<ChannelGroup, int[]> { [group] = keep });

    /// <summary>The positions that stay when each group in <paramref name="keeps"/> keeps only its channels there (ascending); other groups' stay.</summary>
    public int[] Kept(IReadOnlyDictionary<ChannelGroup, int[]> keeps) =>
        Enumerable.Range(0, _entries.Count).Where(i => !keeps.TryGetValue(_entries[i].Group, out var keep) || Array.BinarySearch(keep, _entries[i].Channel) >= 0).ToArray();

    /// <summary>
    /// The member's weight columns that stay, when it has <paramref name="columns"/> of them, each channel's columns
    /// consecutive (a Conv's kernel positions, the spatial features after a Flatten).
    /// </summary>
    public int[] KeptColumns(ChannelGroup group, int[] keep, int columns)
    {
        var kept = Kept(group, keep);
        var perChannel = columns / _entries.Count;
        return perChannel == 1 ? kept : ChannelRemover.Expand(kept, perChannel);
    }

    /// <summary>
    /// Where the member's channels now were in the unpruned model, or null when none has gone: what the original's
    /// values are cut to when a consumer is re-fitted after another group of its channels was pruned (after a Concat).
    /// </summary>
    public int[]? Origins => _entries.Count == OriginalCount ? null : _entries.Select(e => e.Origin).ToArray();

    /// <summary>How many channels the member had in the unpruned model.</summary>
    public int OriginalCount { get; }

    /// <summary>After the member was edited: <paramref name="group"/>'s removed entries leave, its kept ones are renumbered 0, 1, ...</summary>
    public void Remove(ChannelGroup group, int[] keep)
    {
        var kept = Kept(group, keep).Select(i => _entries[i]).ToList();
        _entries.Clear();
        _entries.AddRange(kept.Select(e => ReferenceEquals(e.Group, group) ? (e.Group, Array.BinarySearch(keep, e.Channel), e.Origin) : e));
    }
}
