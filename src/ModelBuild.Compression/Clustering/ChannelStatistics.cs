namespace ModelBuild.Compression.Clustering;

/// <summary>One activation's mean and mean square per channel over the calibration inputs.</summary>
internal sealed record ChannelStatistics(double[] Mean, double[] MeanSquare);
