using System.Runtime.ExceptionServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The decoding pass on up to <see cref="MaxThreads"/> threads. The structure pass, which reads and checks every field
/// in file order, records per tensor where its payload starts in the resource and where its bytes go in the model
/// (<see cref="Add"/>): the places follow from the checked offsets and lengths, so the tensors' and the graph's
/// output ranges are disjoint and cover the model. The items (each tensor, and the graph part, which Deflate makes
/// one sequential job) are ordered by size and taken by the caller largest first and by pool threads smallest first,
/// each with its own <see cref="TensorDecoders"/>: a pool thread that starts after every item is taken does nothing, so
/// a busy pool costs time, never a wait, and one that is preempted on a busy machine holds a small item, not the largest,
/// while the caller waits for it. Errors are those of the sequential decoder: each item's checks depend on its own bytes
/// alone, and of the items that fail, the one the sequential pass would have reached first (graph part before tensor
/// t, tensor t, graph part after it, ...) is thrown.
/// </summary>
internal sealed unsafe class ParallelDecode
{
    /// <summary>At most this many threads decode one model (the caller and pool threads).</summary>
    public const int MaxThreads = 4;

    /// <summary>
    /// Smaller models are decoded on the caller alone. On an idle machine two threads took 0.69-0.81 of the sequential
    /// time (warm) for the zoo's 23-83 KB models, a saving of 20-30 microseconds, which waking a sleeping pool thread or
    /// a busy machine easily costs (at a load of 5 on 2 cores the benchmark's decode timings moved by 15 %).
    /// </summary>
    public const long MinParallelBytes = 128 * 1024;

    /// <summary>A container of more tensors is decoded sequentially: the places recorded stay under 128 KB (32 bytes each).</summary>
    public const int MaxTensors = 4096;

    // Inflating the graph part runs at about half the speed of a tensor's streams: weighted so for the balance.
    private const int GraphWeight = 2;

    private const int GraphItem = -1;

    private readonly List<TensorPlace> _tensors = [];
    private readonly int _deflatedOffset;
    private readonly long _deflatedLength;
    private readonly long _skeletonLength;
    private readonly byte _version;
    private readonly object _gate = new();
    private bool _tooMany;

    // The run's state, shared with the pool threads.
    private byte* _resource;
    private int _resourceLength;
    private byte[] _model = [];
    private int[] _order = [];
    private TensorDecoders? _callerDecoders;
    // The next item the caller takes (from the largest) and the next a pool thread takes (from the smallest).
    private int _front;
    private int _back;
    private int _finished;
    private int _threads;
    private long _workerAllocated;
    private long _failureOrder = long.MaxValue;
    private Exception? _failure;

    public ParallelDecode(int deflatedOffset, long deflatedLength, long skeletonLength, byte version)
    {
        _deflatedOffset = deflatedOffset;
        _deflatedLength = deflatedLength;
        _skeletonLength = skeletonLength;
        _version = version;
    }

    /// <summary>The structure pass found tensor payload at <paramref name="payloadOffset"/>, placed after byte <paramref name="insertAt"/> of the graph part and at <paramref name="outputOffset"/> of the model.</summary>
    public void Add(int payloadOffset, long insertAt, long outputOffset, long length)
    {
        if (_tensors.Count == MaxTensors)
        {
            _tooMany = true;
            return;
        }
        _tensors.Add(new TensorPlace(payloadOffset, insertAt, outputOffset, length));
    }

    /// <summary>How many threads decode the model when at most <paramref name="maxThreads"/> may (the caller made this only for a model of at least <see cref="MinParallelBytes"/>).</summary>
    public int Threads(int maxThreads) =>
        _tooMany ? 1 : Math.Clamp(Math.Min(maxThreads, _tensors.Count + 1), 1, MaxThreads);

    /// <summary>Decodes the graph part and every tensor into <paramref name="model"/> on <paramref name="threads"/> threads; throws what the sequential pass would.</summary>
    /// <param name="resource">The container, pinned by the caller until this returns.</param>
    /// <param name="resourceLength">Its length.</param>
    /// <param name="model">The model, allocated at its declared length.</param>
    /// <param name="threads">From <see cref="Threads"/>: the caller and threads - 1 pool threads.</param>
    /// <param name="callerDecoders">The structure pass's decoders, which the caller reuses.</param>
    /// <param name="run">Told how many threads decoded and what the pool threads allocated, also when this throws.</param>
    public void Run(byte* resource, int resourceLength, byte[] model, int threads, TensorDecoders callerDecoders, DecodeRun? run)
    {
        _resource = resource;
        _resourceLength = resourceLength;
        _model = model;
        _callerDecoders = callerDecoders;
        _order = LargestFirst();
        _front = 0;
        _back = _order.Length - 1;
        for (var t = 1; t < threads; t++) ThreadPool.UnsafeQueueUserWorkItem(static decode => decode.Work(caller: false), this, preferLocal: false);
        Work(caller: true);
        lock (_gate)
        {
            while (_finished < _order.Length) Monitor.Wait(_gate);
        }
        if (run is not null)
        {
            run.ScheduledThreads = threads;
            run.Threads = _threads;
            run.WorkerAllocatedBytes = Interlocked.Read(ref _workerAllocated);
        }
        if (_failure is not null) ExceptionDispatchInfo.Capture(_failure).Throw();
    }

    private int[] LargestFirst()
    {
        var items = new int[_tensors.Count + 1];
        var weights = new long[items.Length];
        items[0] = GraphItem;
        weights[0] = -_skeletonLength * GraphWeight;
        for (var t = 0; t < _tensors.Count; t++)
        {
            items[t + 1] = t;
            weights[t + 1] = -_tensors[t].Length;
        }
        Array.Sort(weights, items);
        return items;
    }

    // Takes items until none is left. Never throws: a pool thread's exception would end the process.
    private void Work(bool caller)
    {
        var decoders = caller ? _callerDecoders : null;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var counted = false;
        while (Take(caller) is var next and >= 0)
        {
            var item = _order[next];
            var order = item == GraphItem ? 0 : 2L * item + 1;
            try
            {
                // A later item than one that failed cannot change what is thrown.
                if (order < Interlocked.Read(ref _failureOrder))
                {
                    if (item == GraphItem) InflateGraph(ref order);
                    else DecodeTensor(_tensors[item], decoders ??= new TensorDecoders());
                }
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    if (order < _failureOrder)
                    {
                        _failureOrder = order;
                        _failure = e;
                    }
                }
            }
            // Counted before the item is finished: the caller reads these once every item is.
            if (!counted)
            {
                counted = true;
                Interlocked.Increment(ref _threads);
            }
            if (!caller)
            {
                var now = GC.GetAllocatedBytesForCurrentThread();
                Interlocked.Add(ref _workerAllocated, now - allocated);
                allocated = now;
            }
            lock (_gate)
            {
                if (++_finished == _order.Length) Monitor.PulseAll(_gate);
            }
        }
    }

    // The position in _order of the next item for the caller or a pool thread, or -1 when every item is taken.
    private int Take(bool caller)
    {
        lock (_gate)
        {
            if (_front > _back) return -1;
            return caller ? _front++ : _back--;
        }
    }

    private void DecodeTensor(TensorPlace place, TensorDecoders decoders)
    {
        var reader = new ContainerReader(new ReadOnlySpan<byte>(_resource, _resourceLength), place.PayloadOffset);
        using var output = DecodedOutput.Into(_model, place.OutputOffset);
        TensorPayload.Decode(ref reader, place.Length, output, decoders, _version);
    }

    // The graph part's pieces in order, each before its tensor; order follows them for the error to throw.
    private void InflateGraph(ref long order)
    {
        using var graph = new GraphInflater(_resource + _deflatedOffset, _deflatedLength, _skeletonLength, _deflatedOffset);
        long copied = 0;
        for (var t = 0; t < _tensors.Count; t++)
        {
            order = 2L * t;
            var place = _tensors[t];
            var part = place.InsertAt - copied;
            using (var output = DecodedOutput.Into(_model, place.OutputOffset - part)) graph.CopyTo(output, part);
            copied = place.InsertAt;
        }
        order = 2L * _tensors.Count;
        var rest = _skeletonLength - copied;
        using (var output = DecodedOutput.Into(_model, _model.Length - rest)) graph.CopyTo(output, rest);
        graph.RequireEnd();
    }

    /// <summary>Where a tensor's payload starts in the resource, after which byte of the graph part it goes, where in the model and how long it is.</summary>
    private readonly record struct TensorPlace(int PayloadOffset, long InsertAt, long OutputOffset, long Length);
}
