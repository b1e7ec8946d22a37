namespace ModelBuild.Compression.StructuredPruning;

/// <summary>Solves A x = b for a symmetric positive definite A (row-major, order n) by Cholesky, in double.</summary>
internal sealed class CholeskySolver
{
    private readonly double[] _lower;
    private readonly int _order;

    /// <exception cref="InvalidOperationException">A is not positive definite (after the caller's damping).</exception>
    public CholeskySolver(double[] matrix, int order)
    {
        _order = order;
        _lower = new double[order * order];
        for (var i = 0; i < order; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = matrix[(i * order) + j];
                for (var k = 0; k < j; k++) sum -= _lower[(i * order) + k] * _lower[(j * order) + k];
                if (i == j)
                {
                    if (sum <= 0 || double.IsNaN(sum))
                        throw new InvalidOperationException($"the matrix is not positive definite (pivot {i} is {sum})");
                    _lower[(i * order) + i] = Math.Sqrt(sum);
                }
                else _lower[(i * order) + j] = sum / _lower[(j * order) + j];
            }
        }
    }

    /// <summary>x with A x = <paramref name="rhs"/>, written over it.</summary>
    public void SolveInPlace(Span<double> rhs)
    {
        for (var i = 0; i < _order; i++)
        {
            var sum = rhs[i];
            for (var k = 0; k < i; k++) sum -= _lower[(i * _order) + k] * rhs[k];
            rhs[i] = sum / _lower[(i * _order) + i];
        }
        for (var i = _order - 1; i >= 0; i--)
        {
            var sum = rhs[i];
            for (var k = i + 1; k < _order; k++) sum -= _lower[(k * _order) + i] * rhs[k];
            rhs[i] = sum / _lower[(i * _order) + i];
        }
    }
}
