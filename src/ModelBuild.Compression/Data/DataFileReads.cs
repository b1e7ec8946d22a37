namespace ModelBuild.Compression.Data;

/// <summary>
/// The one way the data loaders open files, so a run can list the data files it actually read (the CLI's result
/// file, which the MSBuild task takes as the compress target's inputs). Recording is scoped to the caller's flow
/// (<see cref="AsyncLocal{T}"/>), so runs in one process (tests) do not see each other's files.
/// </summary>
public static class DataFileReads
{
    private static readonly AsyncLocal<Recording?> Current = new();

    /// <summary>Records every data file read in this flow until the returned recording is disposed.</summary>
    public static Recording Record() => Current.Value = new Recording();

    public static byte[] ReadAllBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Note(path);
        return bytes;
    }

    /// <summary>The file's bytes, read no further than the length it reports (checked against
    /// <paramref name="maxBytes"/> before anything is allocated); null when it reports more.</summary>
    public static byte[]? ReadAllBytesAtMost(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = stream.Length;
        if (length > maxBytes)
            return null;
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        Note(path);
        return bytes;
    }

    public static string[] ReadAllLines(string path)
    {
        var lines = File.ReadAllLines(path);
        Note(path);
        return lines;
    }

    /// <summary>Lazily, like <see cref="File.ReadLines(string)"/>; noted when reading starts.</summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        Note(path);
        return File.ReadLines(path);
    }

    /// <summary>Records a file read elsewhere (a reference model's external data, which the ONNX layer reads).</summary>
    public static void NoteRead(string path) => Note(path);

    private static void Note(string path) => Current.Value?.Add(Path.GetFullPath(path));

    /// <summary>The files read while it was current, full paths.</summary>
    public sealed class Recording : IDisposable
    {
        private readonly SortedSet<string> _files = new(StringComparer.Ordinal);

        /// <summary>Sorted, each once.</summary>
        public IReadOnlyList<string> Files
        {
            get
            {
                lock (_files)
                    return _files.ToList();
            }
        }

        internal void Add(string path)
        {
            lock (_files)
                _files.Add(path);
        }

        public void Dispose()
        {
            if (Current.Value == this)
                Current.Value = null;
        }
    }
}
