using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Runtime.Cpu;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Runtime;

/// <summary>
/// Base of the generated model classes: owns one <see cref="InferenceSession"/> built from the embedded model.
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one instance may serve many threads at once.
/// </summary>
public abstract class EmbeddedModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ModelInfo _info;
    private int _disposed;

    /// <summary>Loads <paramref name="info"/>'s resource from <paramref name="assembly"/> and creates the session.</summary>
    protected EmbeddedModel(Assembly assembly, ModelInfo info, SessionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(info);
        _info = info;
        var bytes = Decode(EmbeddedResource.ReadAllBytes(assembly, info.ResourceName), info.ResourceName);
        _session = CreateSession(bytes, info, options);
        try
        {
            SignatureCheck.RequireNames(info.ResourceName, "input", info.InputNames, _session.InputMetadata.Keys);
            SignatureCheck.RequireNames(info.ResourceName, "output", info.OutputNames, _session.OutputMetadata.Keys);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Full-range int8 weights (<see cref="ModelInfo.Int8Scheme"/> <c>u8s8</c>, target <c>x64-vnni</c> or <c>arm64</c>)
    /// would saturate on an x64 CPU without VNNI: there the session gets ONNX Runtime's exact u8 x u8 kernels
    /// (<see cref="InstructionSet.ExactInt8SessionOption"/>, added to the caller's options when given), so the
    /// answers are the ones measured at build time, at some speed.
    /// </summary>
    private static InferenceSession CreateSession(byte[] bytes, ModelInfo info, SessionOptions? options)
    {
        if (info.Int8Scheme != "u8s8" || !InstructionSet.Current.U8S8Saturates)
            return options is null ? new InferenceSession(bytes) : new InferenceSession(bytes, options);
        if (options is not null)
        {
            options.AddSessionConfigEntry(InstructionSet.ExactInt8SessionOption, "1");
            return new InferenceSession(bytes, options);
        }
        using var exact = new SessionOptions();
        exact.AddSessionConfigEntry(InstructionSet.ExactInt8SessionOption, "1");
        return new InferenceSession(bytes, exact);
    }

    /// <summary>A ModelBuild container (a <c>+huffman</c> recipe) becomes the ONNX model it holds; plain ONNX stays as it is.</summary>
    private static byte[] Decode(byte[] resource, string resourceName)
    {
        try
        {
            return ModelContainer.DecodeIfContainer(resource);
        }
        catch (ModelContainerException e)
        {
            throw new InvalidDataException($"Embedded model '{resourceName}' cannot be decoded: {e.Message}", e);
        }
    }

    /// <summary>The underlying session, for metadata or calls the generated class does not cover.</summary>
    public InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _session;
        }
    }

    /// <summary>Starts the input list of one call, in the order of <see cref="ModelInfo.InputNames"/>.</summary>
    protected ModelInputs CreateInputs() => new(_info.InputNames);

    /// <summary>Runs the model; the caller disposes the returned outputs after copying them out.</summary>
    protected ModelOutputs RunSession(ModelInputs inputs, RunOptions? runOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var session = Session;
        cancellationToken.ThrowIfCancellationRequested();
        // A call without options gets its own, so cancelling it cannot terminate another thread's call.
        var ownedOptions = runOptions is null ? new RunOptions() : null;
        var options = runOptions ?? ownedOptions!;
        try
        {
            using var registration = cancellationToken.Register(() => options.Terminate = true);
            var values = session.Run(options, _info.InputNames, inputs.Values, _info.OutputNames);
            return new ModelOutputs(_info.OutputNames, values);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            ownedOptions?.Dispose();
        }
    }

    /// <summary>Releases the session; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
}
