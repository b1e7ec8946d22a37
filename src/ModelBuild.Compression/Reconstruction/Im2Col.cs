namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// A Conv's input unfolded into kernel patches and back, channel-major over the batch: row (c, ki, kj), column
/// (n, oy, ox). The forward product is then weights [out, in x kh x kw] times these columns; the input gradient folds
/// the columns' gradient back (col2im). Split over input channels, each of which only touches its own rows and plane.
/// </summary>
internal readonly record struct Im2Col(ChannelMajor Input, int KernelH, int KernelW, int StrideH, int StrideW, int PadTop, int PadLeft, int PadBottom, int PadRight)
{
    public int OutHeight => ((Input.Height + PadTop + PadBottom - KernelH) / StrideH) + 1;

    public int OutWidth => ((Input.Width + PadLeft + PadRight - KernelW) / StrideW) + 1;

    public int Rows => Input.Channels * KernelH * KernelW;

    public int Columns => Input.Batch * OutHeight * OutWidth;

    public void Unfold(float[] input, float[] columns)
    {
        var self = this;
        Parallel.For(0, Input.Channels, c => self.Channel(input, columns, c, fold: false));
    }

    /// <summary>Adds the columns' gradient back into <paramref name="input"/>'s.</summary>
    public void Fold(float[] columns, float[] input)
    {
        var self = this;
        Parallel.For(0, Input.Channels, c => self.Channel(input, columns, c, fold: true));
    }

    private void Channel(float[] input, float[] columns, int c, bool fold)
    {
        int outH = OutHeight, outW = OutWidth, h = Input.Height, w = Input.Width, total = Columns;
        for (var ki = 0; ki < KernelH; ki++)
        {
            for (var kj = 0; kj < KernelW; kj++)
            {
                var row = ((((c * KernelH) + ki) * KernelW) + kj) * total;
                for (var n = 0; n < Input.Batch; n++)
                {
                    var plane = ((c * Input.Batch) + n) * h * w;
                    for (var oy = 0; oy < outH; oy++)
                    {
                        var iy = (oy * StrideH) - PadTop + ki;
                        var at = row + (((n * outH) + oy) * outW);
                        if (iy < 0 || iy >= h)
                        {
                            if (!fold) Array.Clear(columns, at, outW);
                            continue;
                        }
                        var line = plane + (iy * w);
                        for (var ox = 0; ox < outW; ox++)
                        {
                            var ix = (ox * StrideW) - PadLeft + kj;
                            var inside = ix >= 0 && ix < w;
                            if (fold) { if (inside) input[line + ix] += columns[at + ox]; }
                            else columns[at + ox] = inside ? input[line + ix] : 0;
                        }
                    }
                }
            }
        }
    }
}
