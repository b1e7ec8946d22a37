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
    // Calls in flight in the low bits, DisposedFlag once Dispose ran: one word, so entering a call and disposing
    // cannot interleave (a call entered before the flag is counted; none enters after it).
    private const int DisposedFlag = 1 << 30;
    private readonly InferenceSession _session;
    private readonly ModelInfo _info;
    private int _state;

    /// <summary>Loads <paramref name="info"/>'s resource from <paramref name="assembly"/> and creates the session.</summary>
    protected EmbeddedModel(Assembly assembly, ModelInfo info, SessionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(info);
        _info = info;
        var bytes = ResourceDecoder.Decode(EmbeddedResource.ReadAllBytes(assembly, info.ResourceName), info.ResourceName);
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

    /// <summary>
    /// The underlying session, for metadata or calls the generated class does not cover. Calls made on it directly
    /// are not counted as in flight: do not dispose this instance while they run.
    /// </summary>
    public InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf((Volatile.Read(ref _state) & DisposedFlag) != 0, this);
            return _session;
        }
    }

    /// <summary>Starts the input list of one call, in the order of <see cref="ModelInfo.InputNames"/>.</summary>
    protected ModelInputs CreateInputs() => new(_info.InputNames);

    /// <summary>
    /// Runs the model; the caller disposes the returned outputs after copying them out. The call counts as in flight
    /// until then, so <see cref="Dispose"/> never releases the session under it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The instance was disposed before the call.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    protected ModelOutputs RunSession(ModelInputs inputs, RunOptions? runOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnterCall();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = runOptions is null
                ? RunWithOwnOptions(inputs, cancellationToken)
                : RunWithCallerOptions(inputs, runOptions, cancellationToken);
            return new ModelOutputs(_info.OutputNames, values, ExitCall);
        }
        catch
        {
            ExitCall();
            throw;
        }
    }

    // A call without options gets its own, so cancelling it cannot terminate another thread's call.
    private IDisposableReadOnlyCollection<OrtValue> RunWithOwnOptions(ModelInputs inputs, CancellationToken cancellationToken)
    {
        using var options = new RunOptions();
        using var registration = cancellationToken.Register(() => options.Terminate = true);
        return Run(options, inputs, cancellationToken);
    }

    /// <summary>
    /// The caller's options are used as they are (log settings, config entries), and the token terminates the run
    /// through them; the Terminate the token set is cleared again before returning, so the caller's next call with
    /// the same options runs. A Terminate the caller set stays. (Calls on other threads that share these options
    /// while the token fires are terminated too: ONNX Runtime has one flag per RunOptions.)
    /// </summary>
    private IDisposableReadOnlyCollection<OrtValue> RunWithCallerOptions(ModelInputs inputs, RunOptions options, CancellationToken cancellationToken)
    {
        var terminatedByToken = false;
        var registration = cancellationToken.Register(() =>
        {
            if (options.Terminate) return;
            options.Terminate = true;
            terminatedByToken = true;
        });
        try
        {
            return Run(options, inputs, cancellationToken);
        }
        finally
        {
            // Dispose waits for a callback that is running, so none can set Terminate after the reset below.
            registration.Dispose();
            if (terminatedByToken) options.Terminate = false;
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(RunOptions options, ModelInputs inputs, CancellationToken cancellationToken)
    {
        try
        {
            return _session.Run(options, _info.InputNames, inputs.Values, _info.OutputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private void EnterCall()
    {
        var state = Volatile.Read(ref _state);
        while (true)
        {
            ObjectDisposedException.ThrowIf((state & DisposedFlag) != 0, this);
            var seen = Interlocked.CompareExchange(ref _state, state + 1, state);
            if (seen == state) return;
            state = seen;
        }
    }

    // The last call to leave after Dispose releases the session.
    private void ExitCall()
    {
        if (Interlocked.Decrement(ref _state) == DisposedFlag) _session.Dispose();
    }

    /// <summary>
    /// Later calls throw <see cref="ObjectDisposedException"/>. Dispose does not wait for calls in flight: it
    /// returns at once and the session is released when the last of them returns (at once when there are none),
    /// so disposing from any thread, even one holding up a call, can neither crash a call nor deadlock.
    /// </summary>
    public void Dispose()
    {
        var state = Volatile.Read(ref _state);
        while (true)
        {
            if ((state & DisposedFlag) != 0) return;
            var seen = Interlocked.CompareExchange(ref _state, state | DisposedFlag, state);
            if (seen == state) break;
            state = seen;
        }
        if (state == 0) _session.Dispose();
        GC.SuppressFinalize(this);
    }
}
