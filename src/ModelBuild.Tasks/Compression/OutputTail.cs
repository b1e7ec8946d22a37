using System.Collections.Generic;

namespace ModelBuild.Tasks.Compression;

/// <summary>The last few lines a tool printed, kept to explain a failure that the tool did not report itself.</summary>
internal sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;

    public OutputTail(int capacity) => _capacity = capacity;

    public void Add(string line)
    {
        if (_lines.Count == _capacity)
            _lines.Dequeue();
        _lines.Enqueue(line);
    }

    public override string ToString() => _lines.Count == 0 ? "(no output)" : string.Join("\n", _lines);
}
