using System.Numerics.Tensors;
using ModelBuild.Compression.SecondOrder;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// One consumer's side of <see cref="ReconstructionRanking"/>: what removing an input channel costs its output once
/// the least-squares refit has compensated with the channels left (group OBS). With H the second-moment matrix of its
/// inputs (columns plus the constant 1 of the bias) and B the columns of the channel (its kernel positions), removing B
/// costs <c>sum over output rows of w_B^T [(H^-1)_BB]^-1 w_B</c>; after a removal the weights take the compensating
/// update and H^-1 the Schur-complement downdate, so the next costs are those on top of the refit so far. A consumer
/// too wide for H (<see cref="LayerInputStatistics.Moments"/> null) has a fixed cost per channel instead: squared
/// weights times the input's mean square (no compensation). A grouped Conv is ranked slice by slice: each group's rows
/// over its own slice's columns, so the compensation never needs weights across groups (the refit has none either).
/// </summary>
internal sealed class ConsumerReconstruction
{
    // One per group of a grouped Conv (its block-diagonal weight: a slice's channels are compensated only by the
    // slice's others, as the refit does), else one.
    private readonly Slice[] _slices;
    private readonly int _channelsPerSlice;

    /// <param name="layer">The consumer (Conv, Gemm or MatMul) reading the group's channels through its first input.</param>
    /// <param name="initializers">The graph's initializers by name.</param>
    /// <param name="statistics">Its input statistics on the calibration inputs.</param>
    /// <param name="channels">How many input channels the consumer has (its columns are channel-major: channel x positions).</param>
    /// <param name="secondOrder">False ranks by the fixed (norm) costs even where H is known: the first-order ranking, for comparison.</param>
    public ConsumerReconstruction(NodeProto layer, IReadOnlyDictionary<string, TensorProto> initializers, LayerInputStatistics statistics, int channels, bool secondOrder = true)
    {
        var columns = statistics.Columns;
        var weights = ConsumerRefit.EffectiveWeights(layer, initializers, columns, out var rows);
        var groups = ChannelRemover.Groups(layer);
        var perGroup = columns / groups;
        var rowsPerGroup = rows / groups;
        _channelsPerSlice = channels / groups;
        var hasBias = ConsumerRefit.HasBiasSlot(layer);
        _slices = new Slice[groups];
        for (var g = 0; g < groups; g++)
        {
            // The slice's columns (and the constant's, last) of its rows and of the moments.
            var local = Enumerable.Range(g * perGroup, perGroup).Append(columns).ToArray();
            var sliceWeights = new double[rowsPerGroup * perGroup];
            for (var r = 0; r < rowsPerGroup; r++) Array.Copy(weights, ((((g * rowsPerGroup) + r) * columns) + (g * perGroup)), sliceWeights, r * perGroup, perGroup);
            double[]? moments = null;
            if (secondOrder && statistics.Moments is { } all)
            {
                moments = new double[local.Length * local.Length];
                for (var i = 0; i < local.Length; i++)
                {
                    for (var j = 0; j < local.Length; j++) moments[(i * local.Length) + j] = all[(local[i] * (columns + 1)) + local[j]];
                }
            }
            var secondMoment = statistics.SecondMoment.AsSpan(g * perGroup, perGroup).ToArray();
            _slices[g] = new Slice(sliceWeights, rowsPerGroup, perGroup, _channelsPerSlice, moments, hasBias, secondMoment);
        }
    }

    /// <summary>The output error added by removing <paramref name="channel"/> now (the others still there re-fitted).</summary>
    public double Cost(int channel) => _slices[channel / _channelsPerSlice].Cost(channel % _channelsPerSlice);

    /// <summary>Removes <paramref name="channel"/>: the weights left take the compensating update and H^-1 the downdate.</summary>
    public void Remove(int channel) => _slices[channel / _channelsPerSlice].Remove(channel % _channelsPerSlice);

    // The reconstruction of one block of rows over its own columns.
    private sealed class Slice
    {
        private readonly int _perChannel;
        private readonly int _rows;
        private readonly int _order;

        // Row-major rows x _order effective weights (the bias column's are not needed: it is never removed).
        private readonly double[] _weights;

        // H^-1 (order _order), downdated after each removal; null for a consumer with fixed costs.
        private readonly double[]? _inverse;

        // The fixed cost of each channel when there is no H.
        private readonly double[]? _fixedCost;

        // weights: rows x columns effective weights (channel-major columns, `channels` of them); moments: E[z z^T] of
        // the columns and the constant 1 (order columns + 1), or null for fixed costs; secondMoment: each column's
        // mean square; hasBias: the refit may move the bias.
        public Slice(double[] weights, int rows, int columns, int channels, double[]? moments, bool hasBias, double[] secondMoment)
        {
            _perChannel = columns / channels;
            _rows = rows;
            _weights = weights;
            if (moments is null)
            {
                _fixedCost = new double[channels];
                for (var r = 0; r < _rows; r++)
                {
                    for (var c = 0; c < columns; c++)
                    {
                        var w = _weights[(r * columns) + c];
                        _fixedCost[c / _perChannel] += w * w * secondMoment[c];
                    }
                }
                _order = columns;
                return;
            }
            // The constant column stays in H when the refit may move the bias: the removed channels' mean goes there free.
            _order = hasBias ? columns + 1 : columns;
            var hessian = new double[_order * _order];
            for (var i = 0; i < _order; i++)
                Array.Copy(moments, i * (columns + 1), hessian, i * _order, _order);
            _inverse = Inverse(hessian, _order);
            if (_order > columns)
            {
                // Weights padded with the bias column (0: it never enters a cost, it only takes updates).
                var padded = new double[_rows * _order];
                for (var r = 0; r < _rows; r++) Array.Copy(_weights, r * columns, padded, r * _order, columns);
                _weights = padded;
            }
        }

        /// <summary>The output error added by removing <paramref name="channel"/> now (the others still there re-fitted).</summary>
        public double Cost(int channel)
        {
            if (_fixedCost is not null) return _fixedCost[channel];
            var block = BlockSolver(channel);
            var w = new double[_perChannel];
            double cost = 0;
            for (var r = 0; r < _rows; r++)
            {
                new ReadOnlySpan<double>(_weights, (r * _order) + (channel * _perChannel), _perChannel).CopyTo(w);
                var solved = (double[])w.Clone();
                block.SolveInPlace(solved);
                cost += TensorPrimitives.Dot<double>(w, solved);
            }
            return cost;
        }

        /// <summary>Removes <paramref name="channel"/>: the weights left take the compensating update and H^-1 the downdate.</summary>
        public void Remove(int channel)
        {
            if (_inverse is not { } inverse) return;
            var block = BlockSolver(channel);
            var first = channel * _perChannel;
            // Rows B of H^-1, copied before the downdate overwrites them.
            var rowsB = new double[_perChannel * _order];
            Array.Copy(inverse, first * _order, rowsB, 0, rowsB.Length);
            var coefficients = new double[_perChannel];
            for (var r = 0; r < _rows; r++)
            {
                // w -= w_B [(H^-1)_BB]^-1 (H^-1)_B: : the kept weights absorb the removed ones (w_B becomes 0).
                new ReadOnlySpan<double>(_weights, (r * _order) + first, _perChannel).CopyTo(coefficients);
                block.SolveInPlace(coefficients);
                Subtract(new Span<double>(_weights, r * _order, _order), coefficients, rowsB);
            }
            for (var i = 0; i < _order; i++)
            {
                // H^-1 -= (H^-1)_:B [(H^-1)_BB]^-1 (H^-1)_B: (H^-1 symmetric: column i of rows B is row i's entries at B).
                for (var k = 0; k < _perChannel; k++) coefficients[k] = rowsB[(k * _order) + i];
                block.SolveInPlace(coefficients);
                Subtract(new Span<double>(inverse, i * _order, _order), coefficients, rowsB);
            }
        }

        // target -= sum_k coefficients[k] * rows[k, :]
        private void Subtract(Span<double> target, double[] coefficients, double[] rows)
        {
            for (var k = 0; k < coefficients.Length; k++)
            {
                if (coefficients[k] != 0)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(rows, k * _order, _order), -coefficients[k], target, target);
            }
        }

        // A solver for (H^-1)_BB of the channel's columns; lightly jittered if rounding made it indefinite.
        private CholeskySolver BlockSolver(int channel)
        {
            var inverse = _inverse!;
            var first = channel * _perChannel;
            var block = new double[_perChannel * _perChannel];
            double trace = 0;
            for (var i = 0; i < _perChannel; i++)
            {
                for (var j = 0; j < _perChannel; j++) block[(i * _perChannel) + j] = inverse[((first + i) * _order) + first + j];
                trace += block[(i * _perChannel) + i];
            }
            try
            {
                return new CholeskySolver(block, _perChannel);
            }
            catch (InvalidOperationException)
            {
                var jitter = 1e-9 * Math.Max(Math.Abs(trace) / _perChannel, 1e-30);
                for (var i = 0; i < _perChannel; i++) block[(i * _perChannel) + i] = Math.Max(block[(i * _perChannel) + i], 0) + jitter;
                return new CholeskySolver(block, _perChannel);
            }
        }

        // (H + damping)^-1 = U^T U from the second-order steps' factor (damped by a fraction of the mean diagonal).
        private static double[] Inverse(double[] hessian, int n)
        {
            var factor = InverseHessianFactor.Compute(hessian, n);
            var inverse = new double[n * n];
            for (var k = 0; k < n; k++)
            {
                // Row k of U is zero before column k: its outer product touches rows and columns k.. only.
                var row = new ReadOnlySpan<double>(factor, (k * n) + k, n - k);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] == 0) continue;
                    var target = new Span<double>(inverse, ((k + i) * n) + k, n - k);
                    TensorPrimitives.MultiplyAdd(row, row[i], target, target);
                }
            }
            return inverse;
        }
    }
}
